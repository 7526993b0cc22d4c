package health.crosswalk.server;

import java.net.http.HttpResponse;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code :missing} is refused with 400 and an OperationOutcome saying why, never a 500
 * (HAPI 8.8 fails to build the query without index rows of absent values) and never an
 * empty result that looks like an answer; searches and conditional writes alike.
 */
class MissingModifierIT extends CrosswalkIntegrationTest {

	@ParameterizedTest
	@ValueSource(strings = { "Patient?birthdate:missing=true", "Patient?name:missing=false",
			"Patient?gender:missing=true", "Patient?identifier:missing=true", "Observation?subject:missing=true",
			"Observation?value-quantity:missing=true", "Observation?code-value-quantity:missing=true",
			"Appointment?date:missing=true", "Patient?birthdate:missing=maybe" })
	void aSearchWithMissingIsRefusedWithItsReason(String query) throws Exception {
		HttpResponse<String> response = new FhirHttp(serverUrl()).get("/fhir/" + query, hospital().key());

		FhirHttp.assertOutcome(response, 400, "CW-LIM-012");
	}

	@ParameterizedTest
	@ValueSource(strings = { "DELETE", "PUT" })
	void aConditionalWriteWithMissingIsRefused(String method) throws Exception {
		HttpResponse<String> response = new FhirHttp(serverUrl()).send(method, "/fhir/Patient?birthdate:missing=true",
				hospital().key(), "application/fhir+json", "{\"resourceType\":\"Patient\"}");

		FhirHttp.assertOutcome(response, 400, "CW-LIM-012");
	}

}
