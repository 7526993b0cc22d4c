package health.crosswalk.security;

import java.util.List;

import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.TestIdentityProvider;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static health.crosswalk.FhirHttp.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations and resources that could cross hospitals or undo the registry are closed to
 * hospital callers: only listed operations run, hospital Organizations are read-only, and
 * auditors cannot reach clinical data through search parameters.
 */
class GuardedOperationsIT extends CrosswalkIntegrationTest {

	private FhirHttp http;

	@BeforeEach
	void http() {
		this.http = new FhirHttp(serverUrl());
	}

	@Test
	void onlyListedOperationsRun() {
		String key = hospital().key();
		String patient = FHIR.newJsonParser()
			.parseResource(this.http
				.send("POST", "/fhir/Patient", key, "application/fhir+json", CoreResources.patientJson("Ops", ""))
				.body())
			.getIdElement()
			.getIdPart();
		assertThat(this.http.get("/fhir/Patient/" + patient + "/$meta", key).statusCode()).isEqualTo(200);
		assertThat(this.http.get("/fhir/Patient/" + patient + "/$everything", key).statusCode()).isEqualTo(200);

		assertOutcome(this.http.get("/fhir/Patient/$meta", key), 403, "CW-AUTH-013");
		assertOutcome(this.http.get("/fhir/Patient/$everything", key), 403, "CW-AUTH-013");
		assertOutcome(this.http.send("POST", "/fhir/Patient/$hapi.fhir.merge", key, "application/fhir+json",
				"{\"resourceType\":\"Parameters\"}"), 403, "CW-AUTH-013");
		assertThat(this.http
			.send("POST", "/fhir/$reindex", key, "application/fhir+json", "{\"resourceType\":\"Parameters\"}")
			.statusCode()).isBetween(400, 403);
		assertOutcome(this.http.send("POST", "/fhir/Patient/" + patient + "/$expunge", key, "application/fhir+json",
				"{\"resourceType\":\"Parameters\"}"), 403, "CW-AUTH-013");
	}

	@Test
	void theCapabilityStatementListsOnlyWhatCallersMayDoAndHowToAuthenticate() {
		CapabilityStatement metadata = FHIR.newJsonParser()
			.parseResource(CapabilityStatement.class, this.http.get("/fhir/metadata", null).body());
		CapabilityStatement.CapabilityStatementRestComponent rest = metadata.getRestFirstRep();
		assertThat(rest.getOperation()).as("system-level operations: Bulk Data export and import only")
			.extracting(CapabilityStatement.CapabilityStatementRestResourceOperationComponent::getName)
			.containsExactlyInAnyOrder("export", "export-poll-status", "import", "import-poll-status");
		List<String> operations = rest.getResource()
			.stream()
			.flatMap((resource) -> resource.getOperation()
				.stream()
				.map((operation) -> resource.getType() + "/" + operation.getName().replace("$", "")))
			.toList();
		assertThat(operations)
			.contains("Patient/everything", "Patient/ihe-pix", "Patient/match", "AuditEvent/verify", "Patient/export",
					"Group/export")
			.noneMatch((operation) -> operation.matches(".*/(expunge|reindex.*|merge|hapi\\.fhir\\..*|lastn|"
					+ "get-resource-counts|diff|snapshot|apply|populate.*|process-message)"));
		assertThat(operations).allSatisfy(
				(operation) -> assertThat(FhirAccessPolicy.offers(operation.substring(0, operation.indexOf('/')),
						operation.substring(operation.indexOf('/') + 1)))
					.as(operation)
					.isTrue());
		assertThat(rest.getSecurity().getServiceFirstRep().getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR");
		assertThat(rest.getSecurity().getExtensionByUrl(SecurityCapability.OAUTH_URIS).getExtensionString("token"))
			.isEqualTo(TestIdentityProvider.ISSUER + "/token");
		assertThat(rest.getSecurity().getDescription()).contains("API key");
	}

	@Test
	void hospitalOrganizationsAreReadOnlyAndSuspensionAlwaysWorks() {
		TestHospital hospital = hospital();
		String organization = "/fhir/Organization/" + hospital.organizationId();
		assertThat(this.http.get(organization, hospital.key()).statusCode()).isEqualTo(200);
		assertOutcome(this.http.send("DELETE", organization, hospital.key(), null, null), 403, "CW-AUTH-014");
		assertOutcome(this.http.send("PUT", organization, hospital.key(), "application/fhir+json",
				"{\"resourceType\":\"Organization\",\"id\":\"" + hospital.organizationId()
						+ "\",\"name\":\"Renamed\"}"),
				403, "CW-AUTH-014");
		assertOutcome(this.http.send("POST", "/fhir/Organization", hospital.key(), "application/fhir+json",
				"{\"resourceType\":\"Organization\",\"identifier\":[{\"system\":\"urn:crosswalk:hospital\",\"value\":\"x\"}]}"),
				403, "CW-AUTH-014");

		String admin = TestHospitals.networkKey(context(), Role.ADMIN);
		assertThat(this.http.send("POST", "/admin/hospitals/" + hospital.slug() + "/suspend", admin, null, null)
			.statusCode()).isEqualTo(200);
		assertOutcome(this.http.get("/fhir/Patient", hospital.key()), 401, "CW-AUTH-004");
	}

	@Test
	void auditorsCannotFilterOnClinicalData() {
		String auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		assertThat(this.http.get("/fhir/AuditEvent?action=R", auditor).statusCode()).isEqualTo(200);
		assertOutcome(this.http.get("/fhir/AuditEvent?entity:Patient.identifier=urn:x%7C1", auditor), 403,
				"CW-AUTH-010");
		assertOutcome(this.http.get("/fhir/AuditEvent?patient.birthdate=1980-01-01", auditor), 403, "CW-AUTH-010");
		assertOutcome(this.http.get("/fhir/AuditEvent?_has:Patient:link:name=x", auditor), 403, "CW-AUTH-010");
		// The audit trail's provider knows no includes at all.
		assertOutcome(this.http.get("/fhir/AuditEvent?_include=AuditEvent:patient", auditor), 400, "CW-REQ-001");
	}

}
