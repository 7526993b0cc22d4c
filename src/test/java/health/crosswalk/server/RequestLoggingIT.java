package health.crosswalk.server;

import java.net.http.HttpResponse;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused request is logged once, at INFO, with its request id and code, and no stack
 * trace; HAPI's ERROR line for an exception thrown by a hook is dropped for client
 * errors.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusalLoggingIT extends CrosswalkIntegrationTest {

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

		for (HttpResponse<String> response : java.util.List.of(nonConforming, nul)) {
			String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
			assertThat(output.getAll().lines().filter((line) -> line.contains(requestId)))
				.as("the log lines of request " + requestId)
				.anyMatch((line) -> line.contains(" INFO ")
						&& line.contains("Request " + requestId + " refused: " + response.statusCode()))
				.noneMatch((line) -> line.contains(" ERROR ") || line.contains(" WARN "));
		}
		assertThat(output.getAll()).doesNotContain("Exception thrown by interceptor for pointcut STORAGE_PRECOMMIT")
			.doesNotContain("Exception thrown by interceptor for pointcut STORAGE_PRESTORAGE");
	}

}
