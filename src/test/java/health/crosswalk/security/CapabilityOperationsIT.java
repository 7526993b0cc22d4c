package health.crosswalk.security;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the CapabilityStatement offers, a caller can do: every operation it lists, on
 * every resource type, answers a role allowed to call it with something other than 403 at
 * the level the access policy opens it (type, or an instance).
 */
class CapabilityOperationsIT extends CrosswalkIntegrationTest {

	private static final String EMPTY = "{\"resourceType\":\"Parameters\"}";

	@Test
	void everyListedOperationAnswersAnAllowedRoleWithoutRefusal() {
		FhirHttp http = new FhirHttp(serverUrl());
		String hospital = hospital().key();
		String auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		String patient = FHIR.newJsonParser()
			.parseResource(http
				.send("POST", "/fhir/Patient", hospital, "application/fhir+json", CoreResources.patientJson("Ops", ""))
				.body())
			.getIdElement()
			.getIdPart();
		CapabilityStatement metadata = FHIR.newJsonParser()
			.parseResource(CapabilityStatement.class, http.get("/fhir/metadata", hospital).body());

		List<String> refused = new ArrayList<>();
		int called = 0;
		for (CapabilityStatementRestResourceComponent resource : metadata.getRestFirstRep().getResource()) {
			String type = resource.getType();
			String bearer = "AuditEvent".equals(type) ? auditor : hospital;
			String instance = "Patient".equals(type) ? patient : UUID.randomUUID().toString();
			for (CapabilityStatementRestResourceOperationComponent operation : resource.getOperation()) {
				String name = "$" + operation.getName().replaceFirst("^\\$", "");
				List<String> paths = new ArrayList<>();
				if (FhirAccessPolicy.offersAtTypeLevel(name)) {
					paths.add("/fhir/" + type + "/" + name);
				}
				if (FhirAccessPolicy.offersAtInstanceLevel(name)) {
					paths.add("/fhir/" + type + "/" + instance + "/" + name);
				}
				assertThat(paths).as(type + " " + name + " is listed, so some level must be open").isNotEmpty();
				boolean answered = false;
				for (String path : paths) {
					// POST is open to every operation; GET only
					// to those that change nothing.
					HttpResponse<String> post = http.send("POST", path, bearer, "application/fhir+json", EMPTY);
					HttpResponse<String> answer = (post.statusCode() != 403) ? post : http.get(path, bearer);
					called++;
					answered |= answer.statusCode() != 403;
					if (answer.statusCode() == 403) {
						refused.add(path + " " + answer.body());
					}
				}
				if (!answered) {
					refused.add(type + " " + name);
				}
			}
		}
		assertThat(called).as("operations listed and called").isGreaterThan(10);
		assertThat(refused).as("listed operations refused to a role allowed to call them").isEmpty();
	}

}
