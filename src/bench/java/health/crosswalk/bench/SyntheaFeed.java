package health.crosswalk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Synthea's output as a hospital network would send it: the shared hospital and
 * practitioner bundles first (to every hospital), then each patient's transaction bundle
 * to one hospital under that hospital's MRN, some patients to a second hospital too
 * (under another MRN, same social security number), and Appointments derived from each
 * patient's ambulatory Encounters, since Synthea makes none.
 */
final class SyntheaFeed {

	private final FhirContext fhir;

	private final List<Path> shared;

	private final List<Path> patients;

	SyntheaFeed(FhirContext fhir, Path syntheaDir) throws IOException {
		this.fhir = fhir;
		Path fhirDir = syntheaDir.resolve("fhir");
		try (Stream<Path> files = Files.list(fhirDir)) {
			List<Path> all = files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
			this.shared = all.stream()
				.filter((file) -> name(file).startsWith("hospitalInformation")
						|| name(file).startsWith("practitionerInformation"))
				.sorted((a, b) -> Boolean.compare(name(a).startsWith("practitioner"),
						name(b).startsWith("practitioner")))
				.toList();
			this.patients = all.stream().filter((file) -> !name(file).contains("Information")).toList();
		}
		if (this.patients.isEmpty()) {
			throw new IllegalStateException("No Synthea patient bundles in " + fhirDir);
		}
	}

	List<Path> sharedBundles() {
		return this.shared;
	}

	int patientCount() {
		return this.patients.size();
	}

	Bundle read(Path file) throws IOException {
		return this.fhir.newJsonParser().parseResource(Bundle.class, Files.readString(file));
	}

	/**
	 * The deliveries of the first {@code limit} patients: each to its hospital, every
	 * {@code overlapEvery}-th also to the next one.
	 */
	List<Delivery> deliveries(List<String> hospitals, int overlapEvery, int limit) {
		return deliveries(hospitals, overlapEvery, 0, limit);
	}

	/**
	 * The deliveries of the patients from {@code first} (included) to {@code end}
	 * (excluded), as {@link #deliveries(List, int, int)} sends them.
	 */
	List<Delivery> deliveries(List<String> hospitals, int overlapEvery, int first, int end) {
		List<Delivery> deliveries = new ArrayList<>();
		for (int i = first; i < Math.min(end, this.patients.size()); i++) {
			int home = i % hospitals.size();
			deliveries.add(new Delivery(this.patients.get(i), hospitals.get(home)));
			if (overlapEvery > 0 && hospitals.size() > 1 && i % overlapEvery == 0) {
				deliveries.add(new Delivery(this.patients.get(i), hospitals.get((home + 1) % hospitals.size())));
			}
		}
		return deliveries;
	}

	/**
	 * A patient's bundle as one hospital sends it.
	 * @param delivery which patient to which hospital, under that hospital's MRN system
	 * @return the bundle and what queries can ask of it
	 */
	Prepared prepare(Delivery delivery) throws IOException {
		Bundle bundle = read(delivery.file());
		PatientFacts facts = new PatientFacts();
		String patientUrl = null;
		List<BundleEntryComponent> appointments = new ArrayList<>();
		for (BundleEntryComponent entry : bundle.getEntry()) {
			if (entry.getResource() instanceof Patient patient) {
				patientUrl = entry.getFullUrl();
				for (Identifier identifier : patient.getIdentifier()) {
					if (identifier.getType().getCodingFirstRep().getCode() != null
							&& "MR".equals(identifier.getType().getCodingFirstRep().getCode())) {
						identifier.setSystem(delivery.mrnSystem());
						identifier.setValue(delivery.hospital() + "-" + identifier.getValue());
						facts.mrn = identifier.getSystem() + "|" + identifier.getValue();
					}
				}
				facts.family = patient.getNameFirstRep().getFamily();
			}
			else if (entry.getResource() instanceof org.hl7.fhir.r4.model.Observation observation
					&& facts.observationCode == null && observation.getCode().getCodingFirstRep().hasCode()) {
				facts.observationCode = observation.getCode().getCodingFirstRep().getSystem() + "|"
						+ observation.getCode().getCodingFirstRep().getCode();
			}
			else if (entry.getResource() instanceof org.hl7.fhir.r4.model.MedicationRequest request
					&& facts.medicationStatus == null && request.hasStatus()) {
				facts.medicationStatus = request.getStatus().toCode();
			}
			else if (entry.getResource() instanceof Encounter encounter && isAmbulatory(encounter)) {
				appointments.add(appointment(encounter));
			}
		}
		for (BundleEntryComponent appointment : appointments) {
			((Appointment) appointment.getResource()).getParticipantFirstRep()
				.setActor(new Reference(patientUrl).setType("Patient"));
			bundle.addEntry(appointment);
		}
		return new Prepared(bundle, facts, bundle.getEntry().size());
	}

	private static boolean isAmbulatory(Encounter encounter) {
		return "AMB".equals(encounter.getClass_().getCode()) && encounter.getPeriod().hasStart()
				&& encounter.getPeriod().hasEnd() && encounter.getParticipantFirstRep().getIndividual().hasReference();
	}

	private static BundleEntryComponent appointment(Encounter encounter) {
		Appointment appointment = new Appointment();
		appointment.setStatus(Appointment.AppointmentStatus.FULFILLED);
		appointment.addServiceType().setText(encounter.getTypeFirstRep().getText());
		appointment.setStart(encounter.getPeriod().getStart());
		appointment.setEnd(encounter.getPeriod().getEnd());
		appointment.addParticipant().setStatus(Appointment.ParticipationStatus.ACCEPTED);
		appointment.addParticipant()
			.setActor(new Reference(encounter.getParticipantFirstRep().getIndividual().getReference())
				.setType("Practitioner"))
			.setStatus(Appointment.ParticipationStatus.ACCEPTED);
		BundleEntryComponent entry = new BundleEntryComponent();
		entry.setFullUrl("urn:uuid:" + UUID.randomUUID());
		entry.setResource(appointment);
		entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Appointment");
		return entry;
	}

	private static String name(Path file) {
		return file.getFileName().toString();
	}

	/**
	 * A patient's bundle to be sent to a hospital.
	 */
	record Delivery(Path file, String hospital) {

		String mrnSystem() {
			return mrnSystemOf(this.hospital);
		}

	}

	static String mrnSystemOf(String hospital) {
		return "urn:bench:" + hospital + ":mrn";
	}

	/**
	 * A prepared bundle.
	 */
	record Prepared(Bundle bundle, PatientFacts facts, int resources) {
	}

	/**
	 * What the query mix asks about one patient.
	 */
	static final class PatientFacts {

		String hospital;

		String patientId;

		String mrn;

		String family;

		String observationCode;

		String medicationStatus;

		final List<String> resourceIds = new ArrayList<>();

	}

}
