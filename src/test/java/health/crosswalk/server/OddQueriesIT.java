package health.crosswalk.server;

import java.net.http.HttpResponse;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and unusual queries (unknown sort keys, wildcards, chains, _has, odd prefixes,
 * control parameters HAPI does not support) answer with a result or a 4xx and an
 * OperationOutcome, never a server error.
 */
class OddQueriesIT extends CrosswalkIntegrationTest {

	@Test
	void noQueryAnswersWithAServerError() throws Exception {
		String patient = newPatient(client()).getReferenceElement().getIdPart();
		String[] queries = { "Patient?_sort=bogus", "Patient?_sort=-_lastUpdated,family", "Patient?_include=*",
				"Observation?_include=Observation:subject&_revinclude=*", "Patient?_has:Observation:subject:code=1234",
				"Patient?_has:Observation:bogus:code=1", "Patient?_elements=name,bogus", "Patient?_contained=true",
				"Patient?_containedType=contained", "Patient?_count=0", "Patient?_count=-1", "Patient?_offset=-5",
				"Patient?_total=estimated", "Patient?_summary=data", "Patient?_text=foo", "Patient?_content=foo",
				"Patient?_filter=name eq x", "Patient?_list=abc", "Patient?_tag=a|b", "Patient?_profile=http://x",
				"Patient?_security=a|b", "Patient?_source=http://x", "Patient?_id:missing=true", "Patient?_id=a,b,c",
				"Patient?birthdate=ge2020-13-01", "Patient?birthdate=sa2020", "Patient?birthdate=ap2020-01-01",
				"Observation?value-quantity=5.4|http://unitsofmeasure.org|mg", "Observation?value-quantity=abc",
				"Observation?combo-code=1", "Observation?subject=Patient/", "Observation?subject:Patient.name=x",
				"Observation?subject.birthdate=2020", "Observation?patient._id=1", "Observation?code:in=http://x",
				"Observation?code:below=http://loinc.org|1", "Patient?name:above=x", "Patient?identifier:of-type=a|b|c",
				"Patient?identifier:text=x", "Patient?family:contains=",
				"Patient?_lastUpdated=gt2020&_lastUpdated=lt2019", "Patient/$everything?_type=Observation",
				"Patient/_history?_since=2020-01-01", "_history?_count=5", "Patient?_sort=_score",
				"Appointment?actor:Practitioner.name=x", "Patient?link=Patient/1",
				"Patient?general-practitioner:identifier=a|b", "MedicationRequest?medication.code=1",
				"Observation?_sort=value-quantity", "Observation?near=1|2|3", "Location?near=1|2|3|km",
				"Patient?_count=50&_offset=100000", "Patient?phonetic=smith",
				"Observation?component-code-value-quantity=1$2", "Location?near=abc", "Location?near=1|2|-5",
				"Location?near=||", "Location?near=1|2&_sort=near", "Location?_sort=near",
				"Observation?subject:Patient.name:missing=true", "Observation?patient.organization.name:missing=true",
				"Patient?_offset=2147483627", "Patient?_offset=2147483646&_count=1",
				"Patient/" + patient + "/$everything?_offset=2147483647" };
		FhirHttp http = new FhirHttp(serverUrl());
		for (String query : queries) {
			HttpResponse<String> response = http.get("/fhir/" + query.replace(" ", "%20").replace("|", "%7C"),
					hospital().key());
			assertThat(response.statusCode()).as(query).isLessThan(500);
			if (response.statusCode() >= 400) {
				assertThat(response.body()).as(query).contains("OperationOutcome").contains("CW-");
			}
		}
	}

}
