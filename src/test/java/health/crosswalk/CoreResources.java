package health.crosswalk;

import java.util.Date;
import java.util.function.BiFunction;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Realistic instances of the four core resource types, each carrying a business
 * identifier so tests can find them and write them conditionally.
 */
public enum CoreResources {

	PATIENT("Patient", (identifier, patient) -> patient(identifier)),

	OBSERVATION("Observation", (identifier, patient) -> observation(identifier, patient, "8867-4", new Date())),

	MEDICATION_REQUEST("MedicationRequest", (identifier, patient) -> medicationRequest(identifier, patient, "active")),

	APPOINTMENT("Appointment", (identifier, patient) -> appointment(identifier, patient, new Date()));

	public static final String IDENTIFIER_SYSTEM = "urn:oid:2.16.840.1.113883.3.9999.1";

	private static final CodeableConcept MEDICAL_RECORD_NUMBER = new CodeableConcept(
			new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical Record Number"));

	private final String type;

	private final BiFunction<Identifier, Reference, DomainResource> factory;

	CoreResources(String type, BiFunction<Identifier, Reference, DomainResource> factory) {
		this.type = type;
		this.factory = factory;
	}

	public String type() {
		return this.type;
	}

	/**
	 * A new instance with the given identifier value, pointing at the patient where the
	 * type has a subject.
	 */
	public DomainResource create(String identifierValue, Reference patient) {
		return this.factory.apply(identifier(identifierValue), patient);
	}

	/**
	 * A Patient that meets Crosswalk's profile, as JSON, for raw HTTP tests.
	 * @param family the family name
	 * @param extra more JSON members, such as {@code "id":"..."}, or empty
	 */
	public static String patientJson(String family, String extra) {
		return "{\"resourceType\":\"Patient\"," + (extra.isEmpty() ? "" : extra + ",")
				+ "\"identifier\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\","
				+ "\"code\":\"MR\"}]},\"system\":\"" + IDENTIFIER_SYSTEM + "\",\"value\":\""
				+ java.util.UUID.randomUUID() + "\"}],\"name\":[{\"family\":\"" + family
				+ "\"}],\"gender\":\"unknown\",\"birthDate\":\"1970-01-01\"}";
	}

	public static Identifier identifier(String value) {
		return new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(value);
	}

	public static Patient patient(Identifier identifier) {
		// Each fixture patient is a different person, so linkage does not join them.
		java.util.Random person = new java.util.Random(String.valueOf(identifier.getValue()).hashCode());
		StringBuilder family = new StringBuilder("Okafor");
		person.ints(6, 'a', 'z' + 1).forEach((letter) -> family.append((char) letter));
		Patient patient = new Patient();
		patient.addIdentifier(identifier.setType(MEDICAL_RECORD_NUMBER.copy()));
		patient.addName().setFamily(family.toString()).addGiven("Adaeze");
		patient.setGender(AdministrativeGender.FEMALE);
		patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(String.format("%d-%02d-%02d",
				1930 + person.nextInt(90), 1 + person.nextInt(12), 1 + person.nextInt(28))));
		patient.addAddress().setCity("Leeds").setPostalCode("LS1 4AP");
		return patient;
	}

	public static Observation observation(Identifier identifier, Reference patient, String loinc, Date effective) {
		Observation observation = new Observation();
		observation.addIdentifier(identifier);
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation
			.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category",
					"vital-signs", "Vital Signs")));
		observation.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, "Heart rate")));
		observation.setSubject(patient);
		observation.setEffective(new DateTimeType(effective));
		observation.setValue(new Quantity().setValue(72)
			.setUnit("beats/minute")
			.setSystem("http://unitsofmeasure.org")
			.setCode("/min"));
		return observation;
	}

	public static MedicationRequest medicationRequest(Identifier identifier, Reference patient, String status) {
		MedicationRequest request = new MedicationRequest();
		request.addIdentifier(identifier);
		request.setStatus(MedicationRequest.MedicationRequestStatus.fromCode(status));
		request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
		request.setMedication(new CodeableConcept(
				new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "197361", "Amlodipine 5 MG Oral Tablet")));
		request.setSubject(patient);
		request.setAuthoredOn(new Date());
		request.setRequester(prescriber(request));
		return request;
	}

	public static Appointment appointment(Identifier identifier, Reference patient, Date start) {
		Appointment appointment = new Appointment();
		appointment.addIdentifier(identifier);
		appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
		appointment.setStart(start);
		appointment.setEnd(new Date(start.getTime() + 30 * 60 * 1000));
		appointment.addParticipant().setActor(patient).setStatus(Appointment.ParticipationStatus.ACCEPTED);
		appointment.addParticipant()
			.setActor(prescriber(appointment))
			.setStatus(Appointment.ParticipationStatus.ACCEPTED);
		return appointment;
	}

	/**
	 * A practitioner contained in the resource, so fixtures need no other resources.
	 */
	private static Reference prescriber(DomainResource container) {
		Practitioner practitioner = new Practitioner();
		practitioner.setId("practitioner");
		practitioner.addName().setFamily("Mensah").addGiven("Kofi");
		container.addContained(practitioner);
		return new Reference("#practitioner").setType("Practitioner");
	}

}
