package health.crosswalk.profiles;

import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static health.crosswalk.FhirHttp.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The server refuses what does not conform, with 422 and the element path, on every kind
 * of write, and publishes its profiles.
 */
class ProfileEnforcementIT extends CrosswalkIntegrationTest {

	private static final String BASE = "https://fhir.crosswalk.health/StructureDefinition/";

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidExamples")
	void invalidExamplesAre422WithTheElementPath(Path file) throws IOException {
		// The examples' placeholder references point at real resources of this hospital.
		String practitioner = client().create()
			.resource(new Practitioner().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Mensah")))
			.execute()
			.getId()
			.toUnqualifiedVersionless()
			.getValue();
		String body = Files.readString(file)
			.replace("Patient/example", newPatient(client()).getReference())
			.replace("Practitioner/example", practitioner);
		String type = file.getFileName().toString().substring(0, file.getFileName().toString().indexOf('-'));

		HttpResponse<String> response = new FhirHttp(serverUrl()).send("POST", "/fhir/" + type, hospital().key(),
				"application/fhir+json", body);

		OperationOutcome outcome = assertOutcome(response, 422, "CW-PROF-001");
		assertThat(outcome.getIssue()).allSatisfy((issue) -> {
			assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
			assertThat(issue.getLocation()).isNotEmpty();
			assertThat(issue.getLocation().get(0).getValue()).startsWith(type);
		});
	}

	@Test
	void otherTypesAreCheckedAgainstTheBaseDefinitions() {
		Practitioner practitioner = new Practitioner();
		practitioner.addTelecom().setValue("555-0100");
		assertThatExceptionOfType(UnprocessableEntityException.class)
			.isThrownBy(() -> client().create().resource(practitioner).execute())
			.withMessageContaining("cpt-2");
	}

	@ParameterizedTest(name = "birthDate {0}")
	@ValueSource(strings = { "1980-02-30", "2000-01-01T10:00:00Z", "1980-13-01" })
	void aPatientWithABirthDateThatIsNoDateIsRefusedNotACrash(String birthDate) {
		String body = CoreResources.patientJson(unique("Born"), "").replace("1970-01-01", birthDate);
		HttpResponse<String> response = new FhirHttp(serverUrl()).send("POST", "/fhir/Patient", hospital().key(),
				"application/fhir+json", body);
		assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
		assertThat(response.body()).contains("OperationOutcome").contains("birthDate");
	}

	@Test
	void aNonConformingEntryRollsBackItsTransaction() {
		String mrn = unique("mrn");
		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		transaction.addEntry()
			.setFullUrl("urn:uuid:" + UUID.randomUUID())
			.setResource(CoreResources.patient(CoreResources.identifier(mrn)))
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Patient");
		Patient noBirthDate = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		noBirthDate.setBirthDate(null);
		transaction.addEntry()
			.setFullUrl("urn:uuid:" + UUID.randomUUID())
			.setResource(noBirthDate)
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Patient");

		assertThatExceptionOfType(UnprocessableEntityException.class)
			.isThrownBy(() -> client().transaction().withBundle(transaction).execute())
			.withMessageContaining("Patient.birthDate");
		assertThat(client().search()
			.forResource(Patient.class)
			.where(Patient.IDENTIFIER.exactly().systemAndCode(CoreResources.IDENTIFIER_SYSTEM, mrn))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).isEmpty();
	}

	@Test
	void aNonConformingBatchEntryFailsAlone() {
		Bundle batch = new Bundle().setType(BundleType.BATCH);
		batch.addEntry()
			.setResource(CoreResources.patient(CoreResources.identifier(unique("mrn"))))
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Patient");
		Patient noName = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		noName.getName().clear();
		batch.addEntry().setResource(noName).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");

		Bundle response = client().transaction().withBundle(batch).execute();

		assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
		assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("422");
	}

	@Test
	void updatesAndConditionalWritesAreChecked() {
		IGenericClient client = client();
		Patient patient = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		patient.setId(client.create().resource(patient).execute().getId().toUnqualifiedVersionless());
		patient.setGender(null);
		assertThatExceptionOfType(UnprocessableEntityException.class)
			.isThrownBy(() -> client.update().resource(patient).execute())
			.withMessageContaining("Patient.gender");

		String newMrn = unique("mrn");
		Patient upsert = CoreResources.patient(CoreResources.identifier(newMrn));
		upsert.setGender(null);
		assertThatExceptionOfType(UnprocessableEntityException.class).isThrownBy(() -> client.update()
			.resource(upsert)
			.conditionalByUrl("Patient?identifier=" + CoreResources.IDENTIFIER_SYSTEM + "|" + newMrn)
			.execute());
	}

	@Test
	void validateOperationKnowsTheProfiles() {
		Patient noBirthDate = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		noBirthDate.setBirthDate(null);
		HttpResponse<String> response = new FhirHttp(serverUrl()).send("POST",
				"/fhir/Patient/$validate?profile=" + BASE + "crosswalk-patient", hospital().key(),
				"application/fhir+json", FHIR.newJsonParser().encodeResourceToString(noBirthDate));
		OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());

		assertThat(outcome.getIssue()).as(FHIR.newJsonParser().encodeResourceToString(outcome))
			.anyMatch((issue) -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR && (issue.getDiagnostics()
				.contains("birthDate")
					|| issue.getLocation().stream().anyMatch((location) -> location.getValue().contains("birthDate"))));
	}

	@Test
	void capabilityStatementListsTheProfiles() {
		CapabilityStatement capabilities = client().capabilities().ofType(CapabilityStatement.class).execute();
		for (String type : List.of("Patient", "Observation", "MedicationRequest", "Appointment")) {
			assertThat(capabilities.getRestFirstRep().getResource())
				.filteredOn((resource) -> resource.getType().equals(type))
				.singleElement()
				.satisfies((resource) -> assertThat(resource.getSupportedProfile()).extracting(CanonicalType::getValue)
					.contains(BASE + "crosswalk-" + type.toLowerCase()));
		}
	}

	static List<Path> invalidExamples() throws IOException {
		return ProfilesTest.examples()
			.stream()
			.filter((file) -> file.getFileName().toString().contains("-invalid-"))
			.toList();
	}

}
