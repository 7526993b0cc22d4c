package health.crosswalk.server;

import java.util.UUID;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Transaction bundles: all entries or none, with {@code urn:uuid} references resolved to
 * the ids the server assigns.
 */
class TransactionBundleIT extends CrosswalkIntegrationTest {

	@Test
	void createsEveryEntryAndResolvesUrnUuidReferences() {
		IGenericClient client = client();
		String mrn = unique("mrn");
		String patientUrn = "urn:uuid:" + UUID.randomUUID();
		Reference patient = new Reference(patientUrn);
		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		add(transaction, patientUrn, CoreResources.PATIENT.create(mrn, null));
		add(transaction, null, CoreResources.OBSERVATION.create(unique("obs"), patient));
		add(transaction, null, CoreResources.MEDICATION_REQUEST.create(unique("mr"), patient));
		add(transaction, null, CoreResources.APPOINTMENT.create(unique("appt"), patient));

		Bundle response = client.transaction().withBundle(transaction).execute();

		assertThat(response.getType()).isEqualTo(BundleType.TRANSACTIONRESPONSE);
		assertThat(response.getEntry()).extracting((entry) -> entry.getResponse().getStatus())
			.allMatch((status) -> status.startsWith("201"));
		String patientId = response.getEntry().get(0).getResponse().getLocation().split("/_history")[0];
		assertThat(patientId).startsWith("Patient/");
		assertThat(client.read().resource(Patient.class).withUrl(patientId).execute().getIdentifier())
			.as("a Patient written in a bundle is linked to a UPI like any other")
			.anyMatch((identifier) -> "https://fhir.crosswalk.health/sid/upi".equals(identifier.getSystem()));

		Observation observation = client.read()
			.resource(Observation.class)
			.withUrl(response.getEntry().get(1).getResponse().getLocation())
			.execute();
		assertThat(observation.getSubject().getReference()).isEqualTo(patientId);
		MedicationRequest request = client.read()
			.resource(MedicationRequest.class)
			.withUrl(response.getEntry().get(2).getResponse().getLocation())
			.execute();
		assertThat(request.getSubject().getReference()).isEqualTo(patientId);
		Appointment appointment = client.read()
			.resource(Appointment.class)
			.withUrl(response.getEntry().get(3).getResponse().getLocation())
			.execute();
		assertThat(appointment.getParticipantFirstRep().getActor().getReference()).isEqualTo(patientId);
	}

	@Test
	void failedEntryRollsBackTheWholeBundle() {
		IGenericClient client = client();
		String mrn = unique("mrn");
		String patientUrn = "urn:uuid:" + UUID.randomUUID();
		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		add(transaction, patientUrn, CoreResources.PATIENT.create(mrn, null));
		add(transaction, null, CoreResources.OBSERVATION.create(unique("obs"), new Reference(patientUrn)));
		add(transaction, null,
				CoreResources.OBSERVATION.create(unique("obs"), new Reference("Patient/" + UUID.randomUUID())));

		BaseServerResponseException failure = catchThrowableOfType(
				() -> client.transaction().withBundle(transaction).execute(), BaseServerResponseException.class);

		assertThat(failure).as("a reference to a missing Patient is refused").isNotNull();
		assertThat(failure.getStatusCode()).isBetween(400, 499);
		Bundle patients = client.search()
			.forResource(Patient.class)
			.where(Patient.IDENTIFIER.exactly().systemAndCode(CoreResources.IDENTIFIER_SYSTEM, mrn))
			.returnBundle(Bundle.class)
			.execute();
		assertThat(patients.getEntry()).as("nothing of the failed bundle was stored").isEmpty();
	}

	private static void add(Bundle transaction, String fullUrl, DomainResource resource) {
		transaction.addEntry()
			.setFullUrl(fullUrl)
			.setResource(resource)
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl(resource.fhirType());
	}

}
