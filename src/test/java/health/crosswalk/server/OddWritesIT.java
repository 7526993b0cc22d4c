package health.crosswalk.server;

import java.net.http.HttpResponse;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and unusual writes (bad patches, duplicate and dangling placeholders, HEAD
 * entries, conditions HAPI cannot run, ids that disagree, broken contained references,
 * operations with empty parameters) answer with a result or a 4xx and an
 * OperationOutcome, never a server error.
 */
class OddWritesIT extends CrosswalkIntegrationTest {

	@Test
	void noWriteAnswersWithAServerError() throws Exception {
		FhirHttp http = new FhirHttp(serverUrl());
		String key = hospital().key();
		String sys = hospital().mrnSystem();
		String pat = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + sys
				+ "\",\"value\":\"P1\"}],\"name\":[{\"family\":\"Doe\"}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}";
		String[][] cases = {
				{ "PATCH", "/fhir/Patient/123", "application/json-patch+json", "[{\"op\":\"bogus\",\"path\":\"/x\"}]" },
				{ "PATCH", "/fhir/Patient/123", "application/json-patch+json", "not json" },
				{ "PATCH", "/fhir/Patient/123", "application/fhir+json",
						"{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":[{\"name\":\"type\",\"valueCode\":\"delete\"},{\"name\":\"path\",\"valueString\":\"Patient.(((\"}]}]}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:0b1c3a2e-0000-4000-8000-000000000001\",\"resource\":"
								+ pat
								+ ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"fullUrl\":\"urn:uuid:0b1c3a2e-0000-4000-8000-000000000001\",\"resource\":"
								+ pat + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":" + pat
								+ ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"bogus=1\"}}]}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"urn:uuid:0b1c3a2e-0000-4000-8000-00000000ffff\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"HEAD\",\"url\":\"Patient\"}}]}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"batch-response\"}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_sort=bogus\"}},{\"request\":{\"method\":\"GET\",\"url\":\"Patient?birthdate:missing=true\"}},{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient?bogus=1\"}}]}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?birthdate:missing=true\"}}]}" },
				{ "POST", "/fhir", "application/fhir+json",
						"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient?birthdate:missing=true\"}}]}" },
				{ "PUT", "/fhir/Patient/abc", "application/fhir+json",
						pat.replace("{\"resourceType\":\"Patient\",",
								"{\"resourceType\":\"Patient\",\"id\":\"xyz\",") },
				{ "PUT", "/fhir/Patient/a$b", "application/fhir+json",
						pat.replace("{\"resourceType\":\"Patient\",",
								"{\"resourceType\":\"Patient\",\"id\":\"a$b\",") },
				{ "POST", "/fhir/Patient", "application/fhir+json", pat.replace("{\"resourceType\":\"Patient\",",
						"{\"resourceType\":\"Patient\",\"contained\":[{\"resourceType\":\"Organization\",\"id\":\"o\"},{\"resourceType\":\"Organization\",\"id\":\"o\"}],\"managingOrganization\":{\"reference\":\"#o\"},") },
				{ "POST", "/fhir/Patient", "application/fhir+json", pat.replace("{\"resourceType\":\"Patient\",",
						"{\"resourceType\":\"Patient\",\"managingOrganization\":{\"reference\":\"#nothere\"},") },
				{ "POST", "/fhir/Patient", "application/fhir+json", pat.replace("{\"resourceType\":\"Patient\",",
						"{\"resourceType\":\"Patient\",\"managingOrganization\":{\"reference\":\"Organization?identifier=x\"},") },
				{ "POST", "/fhir/Patient", "application/fhir+json", pat.replace("{\"resourceType\":\"Patient\",",
						"{\"resourceType\":\"Patient\",\"managingOrganization\":{\"reference\":\"http://elsewhere.example/Organization/1\"},") },
				{ "POST", "/fhir/Observation", "application/fhir+json", "{\"resourceType\":\"Patient\"}" },
				{ "POST", "/fhir/Patient/$validate", "application/fhir+json", "{\"resourceType\":\"Parameters\"}" },
				{ "POST", "/fhir/Patient/$validate?profile=http://bogus", "application/fhir+json", pat },
				{ "DELETE", "/fhir/Patient?_id:missing=true", null, null }, { "DELETE", "/fhir/Patient", null, null },
				{ "POST", "/fhir/Patient/_search", "application/x-www-form-urlencoded", "birthdate:missing=true" },
				{ "POST", "/fhir/Patient/$meta-add", "application/fhir+json", "{\"resourceType\":\"Parameters\"}" },
				{ "POST", "/fhir/$reindex", "application/fhir+json", "{\"resourceType\":\"Parameters\"}" },
				{ "POST", "/fhir/$expunge", "application/fhir+json", "{\"resourceType\":\"Parameters\"}" },
				{ "GET", "/fhir/Patient/123/_history/abc", null, null },
				{ "GET", "/fhir/Patient/$everything?_count=abc", null, null },
				{ "GET", "/fhir/Patient/$ihe-pix?sourceIdentifier=bad", null, null },
				{ "POST", "/fhir/Patient/$match", "application/fhir+json",
						"{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"1970\"}}]}" } };
		for (String[] c : cases) {
			HttpResponse<String> response = http.send(c[0], c[1], key, c[2], c[3]);
			String what = c[0] + " " + c[1] + " " + c[3];
			assertThat(response.statusCode()).as(what).isLessThan(500);
			if (response.statusCode() >= 400) {
				assertThat(response.body()).as(what).contains("OperationOutcome").contains("CW-");
			}
		}
	}

}
