package health.crosswalk.server;

import java.util.concurrent.TimeUnit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times every FHIR request HAPI handled ({@code crosswalk.fhir.requests}), by
 * interaction, resource type and status class. An operation counts under its name once
 * HAPI has bound it to a method (so only the server's own operations); a type HAPI does
 * not know counts as {@code other}. Requests refused before HAPI (credentials, sizes,
 * fair share) are in Spring's {@code http.server.requests}.
 */
@Interceptor
final class RequestMetrics {

	private final MeterRegistry registry;

	RequestMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = Pipeline.MEASURE)
	void completed(RequestDetails request, ServletRequestDetails servlet) {
		RestOperationTypeEnum operation = request.getRestOperationType();
		String interaction = (operation != null) ? operation.getCode() : "unknown";
		if (operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
				|| operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
				|| operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE) {
			interaction = (request.getOperation() != null) ? request.getOperation() : "operation";
		}
		// Tags from known values only: a client's URL must not mint new time series.
		String type = request.getResourceName();
		if (type == null) {
			type = "none";
		}
		else if (!request.getFhirContext().getResourceTypes().contains(type)) {
			type = "other";
		}
		int status = (servlet != null && servlet.getServletResponse() != null)
				? servlet.getServletResponse().getStatus() : 0;
		Timer.builder("crosswalk.fhir.requests")
			.description("FHIR requests handled, by interaction, resource type and status class")
			.tag("interaction", interaction)
			.tag("type", type)
			.tag("status", (status >= 100) ? (status / 100) + "xx" : "unknown")
			.publishPercentileHistogram()
			.register(this.registry)
			.record(request.getRequestStopwatch().getMillis(), TimeUnit.MILLISECONDS);
	}

}
