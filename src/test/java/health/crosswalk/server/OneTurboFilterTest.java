package health.crosswalk.server;

import java.util.List;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crosswalk's refusal filter and Micrometer's count of log events, made one turbo filter,
 * still drop a refused request's ERROR line and count what is logged.
 */
class OneTurboFilterTest {

	@Test
	void theFiltersMadeOneStillDropRefusalsAndCountEvents() {
		LoggerContext logback = new LoggerContext();
		RefusalLogFilter refusals = new RefusalLogFilter();
		refusals.setContext(logback);
		refusals.start();
		logback.addTurboFilter(refusals);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (LogbackMetrics metrics = new LogbackMetrics(List.of(), logback)) {
			metrics.bindTo(meters);
			ListAppender<ILoggingEvent> appended = new ListAppender<>();
			appended.setContext(logback);
			appended.start();
			logback.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appended);

			OneTurboFilter.combine(logback);
			assertThat(logback.getTurboFilterList()).singleElement().isInstanceOf(OneTurboFilter.class);
			OneTurboFilter.combine(logback);
			assertThat(logback.getTurboFilterList()).hasSize(1);

			logback.getLogger(RefusalLogFilter.HAPI_HOOK_LOGGER)
				.error("Exception thrown by interceptor for pointcut {}: {}", "SERVER_INCOMING_REQUEST_PRE_HANDLED",
						"SomeHooks", new ForbiddenOperationException("no"));
			logback.getLogger("health.crosswalk").warn("kept");
			assertThat(appended.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("kept");
			assertThat(meters.get("logback.events").tag("level", "warn").counter().count()).isEqualTo(1);
			assertThat(meters.get("logback.events").tag("level", "error").counter().count()).isZero();
		}
	}

}
