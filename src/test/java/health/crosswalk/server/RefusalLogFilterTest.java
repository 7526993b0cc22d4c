package health.crosswalk.server;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLogFilterTest {

	private final LoggerContext context = new LoggerContext();

	private final Logger hapi = this.context.getLogger(RefusalLogFilter.HAPI_HOOK_LOGGER);

	private final RefusalLogFilter filter = new RefusalLogFilter();

	@Test
	void dropsHapisErrorLineForAClientError() {
		assertThat(decide(this.hapi, new ForbiddenOperationException("no"))).isEqualTo(FilterReply.DENY);
		assertThat(decide(this.hapi, new UnprocessableEntityException("bad"))).isEqualTo(FilterReply.DENY);
	}

	@Test
	void keepsServerFaultsAndOtherLoggers() {
		assertThat(decide(this.hapi, new InternalErrorException("broken"))).isEqualTo(FilterReply.NEUTRAL);
		assertThat(decide(this.hapi, new IllegalStateException("broken"))).isEqualTo(FilterReply.NEUTRAL);
		assertThat(decide(this.context.getLogger("health.crosswalk"), new ForbiddenOperationException("no")))
			.isEqualTo(FilterReply.NEUTRAL);
		assertThat(this.filter.decide(null, this.hapi, Level.WARN, "x",
				new Object[] { new ForbiddenOperationException("no") }, null))
			.isEqualTo(FilterReply.NEUTRAL);
	}

	private FilterReply decide(Logger logger, Throwable thrown) {
		// As HAPI logs it: the pointcut, the interceptor, then
		// the exception as the last argument.
		return this.filter.decide(null, logger, Level.ERROR, "Exception thrown by interceptor for pointcut {}: {}",
				new Object[] { "STORAGE_PRECOMMIT_RESOURCE_CREATED", "SomeHooks", thrown }, null);
	}

}
