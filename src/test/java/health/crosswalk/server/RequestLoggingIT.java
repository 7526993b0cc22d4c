package health.crosswalk.server;

import java.net.http.HttpResponse;
import java.util.List;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ch.qos.logback.classic.LoggerContext;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import io.micrometer.core.instrument.MeterRegistry;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What requests leave in the log. A refused request is logged once, at INFO, with its
 * request id and code, and no stack trace; HAPI's ERROR line for an exception thrown by a
 * hook is dropped for client errors, by the one turbo filter that also counts log events.
 * An answered search logs nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestLoggingIT extends CrosswalkIntegrationTest {

	@Test
	void refusalsAreInfoLinesWithoutStackTraces(CapturedOutput output) {
		FhirHttp http = new FhirHttp(serverUrl());
		// Refused by the profile hook (a storage hook, 422) and by the limits hook (400).
		HttpResponse<String> nonConforming = http.send("POST", "/fhir/Patient", hospital().key(),
				"application/fhir+json", "{\"resourceType\":\"Patient\",\"gender\":\"female\"}");
		HttpResponse<String> nul = http.send("POST", "/fhir/Observation", hospital().key(), "application/fhir+json",
				"{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"a\\u0000b\"}}");
		assertThat(nonConforming.statusCode()).isEqualTo(422);
		assertThat(nul.statusCode()).isEqualTo(400);

		for (HttpResponse<String> response : List.of(nonConforming, nul)) {
			String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
			assertThat(output.getAll().lines().filter((line) -> line.contains(requestId)))
				.as("the log lines of request " + requestId)
				.anyMatch((line) -> line.contains(" INFO ")
						&& line.contains("Request " + requestId + " refused: " + response.statusCode()))
				.noneMatch((line) -> line.contains(" ERROR ") || line.contains(" WARN "));
		}
		assertThat(output.getAll()).doesNotContain("Exception thrown by interceptor for pointcut STORAGE_PRECOMMIT")
			.doesNotContain("Exception thrown by interceptor for pointcut STORAGE_PRESTORAGE");

		// The refusal filter and Micrometer's count of log events, as one turbo filter.
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		assertThat(logback.getTurboFilterList()).singleElement().isInstanceOf(OneTurboFilter.class);
		assertThat(context().getBean(MeterRegistry.class).get("logback.events").tag("level", "info").counter().count())
			.isPositive();
	}

	@Test
	void answeredSearchesLogNothing(CapturedOutput output) {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		newObservation(client, patient);
		newObservation(client, patient);
		FhirHttp http = new FhirHttp(serverUrl());
		String patientId = patient.getReferenceElement().getIdPart();

		List<HttpResponse<String>> answered = List.of(
				http.get("/fhir/Observation?subject=Patient/" + patientId + "&_summary=count", hospital().key()),
				http.get("/fhir/Patient/" + patientId + "/$everything", hospital().key()));

		for (HttpResponse<String> response : answered) {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
			assertThat(output.getAll().lines().filter((line) -> line.contains(requestId)))
				.as("the log lines of request " + requestId)
				.isEmpty();
		}
	}

}
