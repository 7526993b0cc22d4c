package health.crosswalk.server;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times every FHIR request HAPI handled ({@code crosswalk.fhir.requests}), by
 * interaction, resource type and status class. An operation counts under its name once
 * HAPI has bound it to a method (so only the server's own operations); types other than
 * the core ones and a few around them count as {@code other}, and latency falls into
 * seven fixed buckets, so no client can mint many series. Requests refused before HAPI
 * (credentials, sizes, fair share) are in Spring's {@code http.server.requests}.
 */
@Interceptor
final class RequestMetrics {

	/** The types tagged by name; every other counts as {@code other}. */
	static final Set<String> TYPES = Set.of("Patient", "Observation", "MedicationRequest", "Appointment", "AuditEvent",
			"Organization", "Practitioner", "Encounter", "Condition", "Binary", "Group");

	/** Latency buckets: few and fixed, so the series stay few. */
	private static final Duration[] BUCKETS = { Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10) };

	/** The timer, built once; each request only names its tags. */
	private final Meter.MeterProvider<Timer> timers;

	RequestMetrics(MeterRegistry registry) {
		this.timers = Timer.builder("crosswalk.fhir.requests")
			.description("FHIR requests handled, by interaction, resource type and status class")
			.serviceLevelObjectives(BUCKETS)
			.withRegistry(registry);
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
		else if (!TYPES.contains(type)) {
			type = "other";
		}
		int status = (servlet != null && servlet.getServletResponse() != null)
				? servlet.getServletResponse().getStatus() : 0;
		this.timers
			.withTags("interaction", interaction, "type", type, "status",
					(status >= 100) ? (status / 100) + "xx" : "unknown")
			.record(request.getRequestStopwatch().getMillis(), TimeUnit.MILLISECONDS);
	}

}
