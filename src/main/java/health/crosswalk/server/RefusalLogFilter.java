package health.crosswalk.server;

import ca.uhn.fhir.interceptor.executor.BaseInterceptorService;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops HAPI's ERROR line, with its stack trace, for every exception a hook throws, when
 * that exception is a client error (4xx): a refused request is not a server fault.
 * {@link ErrorOutcomes} logs each refusal once at INFO with its request id, and every
 * server fault in full; other loggers and 5xx pass untouched.
 */
final class RefusalLogFilter extends TurboFilter {

	static final String HAPI_HOOK_LOGGER = BaseInterceptorService.class.getName();

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
			Throwable failure) {
		if (level != Level.ERROR || logger == null || !HAPI_HOOK_LOGGER.equals(logger.getName())) {
			return FilterReply.NEUTRAL;
		}
		Throwable thrown = (failure != null) ? failure
				: (params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) ? last
						: null;
		return (thrown instanceof BaseServerResponseException response && response.getStatusCode() < 500)
				? FilterReply.DENY : FilterReply.NEUTRAL;
	}

}
