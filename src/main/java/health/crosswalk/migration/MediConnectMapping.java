package health.crosswalk.migration;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The tables of a MediConnect Pro store as FHIR records: {@code users} (doctors as
 * Practitioner), {@code patients} (Patient, with its free-text allergies and conditions
 * as AllergyIntolerance and Condition), {@code vital_signs} (LOINC vital-sign
 * Observations in UCUM units), {@code appointments} (Appointment) and
 * {@code prescriptions} (MedicationRequest, each distinct medication text a Medication).
 *
 * <p>
 * Each record is named by its table and row id ({@code patients/17},
 * {@code vital_signs/5/heart-rate}), which the import keeps as its legacy identifier. A
 * row that cannot be mapped is a refused record with the reason (a measurement outside
 * what a human body gives, a prescription without a patient); a login account that is no
 * clinician or patient is skipped. Passwords are never read.
 */
final class MediConnectMapping {

	static final List<String> TABLES = List.of("users", "patients", "vital_signs", "appointments", "prescriptions");

	static final String LOINC = "http://loinc.org";

	static final String UCUM = "http://unitsofmeasure.org";

	/** Appointments of the store have a start only; they last this long. */
	static final Duration APPOINTMENT_LENGTH = Duration.ofMinutes(30);

	private static final Pattern BLOOD_PRESSURE = Pattern.compile("\\s*(\\d{2,3})\\s*/\\s*(\\d{2,3})\\s*");

	private static final Set<String> CLINICIAN_ROLES = Set.of("doctor", "physician", "nurse", "clinician", "provider");

	private static final Set<String> NO_KNOWN_ALLERGY = Set.of("none", "nka", "nkda", "no known allergies", "n/a");

	private final LegacyRecords out;

	private final ZoneId zone;

	private final String mrnSystem;

	MediConnectMapping(FhirContext fhir, ZoneId zone, String mrnSystem) {
		this.out = new LegacyRecords(fhir);
		this.zone = zone;
		this.mrnSystem = mrnSystem;
	}

	MappedStore map(Map<String, List<Map<String, Object>>> tables) {
		Map<String, Integer> rows = new LinkedHashMap<>();
		tables.forEach((table, list) -> rows.put(table, list.size()));
		Map<Long, Map<String, Object>> users = new HashMap<>();
		for (Map<String, Object> user : tables.getOrDefault("users", List.of())) {
			Long id = new LegacyValues(user, this.zone).integerOrNull("id");
			if (id != null) {
				users.put(id, user);
			}
		}
		// Patients are named by their patients row; appointments and prescriptions name
		// them by their users row.
		Map<Long, Long> patientOfUser = new HashMap<>();
		Set<Long> patientIds = new HashSet<>();
		for (Map<String, Object> patient : tables.getOrDefault("patients", List.of())) {
			LegacyValues values = new LegacyValues(patient, this.zone);
			Long id = values.integerOrNull("id");
			if (id != null) {
				patientIds.add(id);
				Long user = values.integerOrNull("user_id");
				if (user != null) {
					patientOfUser.put(user, id);
				}
			}
		}
		Set<Long> clinicians = new HashSet<>();
		for (String table : List.of("appointments", "prescriptions")) {
			for (Map<String, Object> row : tables.getOrDefault(table, List.of())) {
				Long doctor = new LegacyValues(row, this.zone).integerOrNull("doctor_id");
				if (doctor != null) {
					clinicians.add(doctor);
				}
			}
		}
		int position = 0;
		for (Map<String, Object> row : tables.getOrDefault("users", List.of())) {
			position++;
			user(position, row, clinicians, patientOfUser);
		}
		position = 0;
		for (Map<String, Object> row : tables.getOrDefault("patients", List.of())) {
			position++;
			patient(position, row, users);
		}
		position = 0;
		for (Map<String, Object> row : tables.getOrDefault("vital_signs", List.of())) {
			position++;
			vitalSigns(position, row, patientIds);
		}
		position = 0;
		for (Map<String, Object> row : tables.getOrDefault("appointments", List.of())) {
			position++;
			appointment(position, row, patientOfUser, users);
		}
		position = 0;
		Set<String> medications = new HashSet<>();
		for (Map<String, Object> row : tables.getOrDefault("prescriptions", List.of())) {
			position++;
			prescription(position, row, patientOfUser, users, medications);
		}
		return this.out.store(rows);
	}

	private void user(int position, Map<String, Object> row, Set<Long> clinicians, Map<Long, Long> patientOfUser) {
		LegacyValues values = new LegacyValues(row, this.zone);
		Long id = values.integerOrNull("id");
		String key = "users/" + ((id != null) ? id : "#" + position);
		if (id == null) {
			this.out.refuse("users", position, key, null, "id '" + values.text("id") + "' is not a row id");
			return;
		}
		String role = (values.text("role") != null) ? values.text("role").toLowerCase(Locale.ROOT) : "";
		if (id != null && (CLINICIAN_ROLES.contains(role) || clinicians.contains(id))) {
			Practitioner practitioner = new Practitioner();
			practitioner.setActive(values.flag("is_active", true));
			practitioner.addName(name(values.text("name")));
			telecom(values, practitioner.getTelecom());
			if (values.text("specialization") != null) {
				practitioner.addQualification().setCode(new CodeableConcept().setText(values.text("specialization")));
			}
			this.out.add("users", position, key, practitioner);
		}
		else if (id != null && patientOfUser.containsKey(id)) {
			this.out.skip("users", position, key, null, "the login account of patients/" + patientOfUser.get(id)
					+ ", whose name and contacts are part of that Patient");
		}
		else {
			this.out.skip("users", position, key, null,
					"a login account (role '" + role + "') that is neither a clinician "
							+ "nor a patient: Crosswalk issues its own credentials; passwords are never imported");
		}
	}

	private void patient(int position, Map<String, Object> row, Map<Long, Map<String, Object>> users) {
		LegacyValues values = new LegacyValues(row, this.zone);
		Long id = values.integerOrNull("id");
		String key = "patients/" + ((id != null) ? id : "#" + position);
		if (id == null) {
			this.out.refuse("patients", position, key, "Patient", "id '" + values.text("id") + "' is not a row id");
			return;
		}
		try {
			Map<String, Object> account = users.get(values.integer("user_id"));
			if (account == null) {
				this.out.refuse("patients", position, key, "Patient",
						"user_id " + values.text("user_id") + " names no users row, so the patient has no name");
				return;
			}
			LegacyValues user = new LegacyValues(account, this.zone);
			Patient patient = new Patient();
			patient.addIdentifier(LegacyRecords.mrn(this.mrnSystem, String.valueOf(id)));
			patient.addName(name(user.text("name")));
			patient.setGender(LegacyRecords.gender(values.text("gender")));
			LocalDate born = values.date("date_of_birth");
			if (born != null) {
				patient.setBirthDateElement(new DateType(born.toString()));
			}
			telecom(user, patient.getTelecom());
			if (values.text("address") != null) {
				patient.addAddress().setText(values.text("address"));
			}
			this.out.add("patients", position, key, patient);
			int n = 0;
			for (String allergy : items(values.text("allergies"))) {
				AllergyIntolerance intolerance = new AllergyIntolerance();
				intolerance.setPatient(new Reference(key));
				intolerance.setClinicalStatus(new CodeableConcept(new Coding(
						"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active")));
				intolerance.setCode(NO_KNOWN_ALLERGY.contains(allergy.toLowerCase(Locale.ROOT))
						? new CodeableConcept(new Coding("http://snomed.info/sct", "716186003", "No known allergy"))
							.setText(allergy)
						: new CodeableConcept().setText(allergy));
				this.out.add("patients", position, key + "/allergies/" + (++n), intolerance);
			}
			n = 0;
			for (String problem : items(values.text("conditions"))) {
				if (NO_KNOWN_ALLERGY.contains(problem.toLowerCase(Locale.ROOT))) {
					// "none": no condition to record.
					continue;
				}
				Condition condition = new Condition();
				condition.setSubject(new Reference(key));
				condition.setClinicalStatus(new CodeableConcept(
						new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
				condition.addCategory(
						new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-category",
								"problem-list-item", "Problem List Item")));
				condition.setCode(new CodeableConcept().setText(problem));
				this.out.add("patients", position, key + "/conditions/" + (++n), condition);
			}
		}
		catch (IllegalArgumentException ex) {
			this.out.refuse("patients", position, key, "Patient", ex.getMessage());
		}
	}

	private void vitalSigns(int position, Map<String, Object> row, Set<Long> patientIds) {
		LegacyValues values = new LegacyValues(row, this.zone);
		String key = "vital_signs/" + values.text("id");
		Long patient;
		Instant recorded;
		try {
			patient = values.integer("patient_id");
			recorded = values.instant("recorded_at");
		}
		catch (IllegalArgumentException ex) {
			this.out.refuse("vital_signs", position, key, "Observation", ex.getMessage());
			return;
		}
		if (patient == null || !patientIds.contains(patient)) {
			this.out.refuse("vital_signs", position, key, "Observation",
					"patient_id " + values.text("patient_id") + " names no patient");
			return;
		}
		if (recorded == null) {
			this.out.refuse("vital_signs", position, key, "Observation",
					"recorded_at is empty: a measurement needs its time");
			return;
		}
		Reference subject = new Reference("patients/" + patient);
		int measurements = 0;
		try {
			Long rate = values.integer("heart_rate");
			if (rate != null) {
				measurements++;
				if (rate < 20 || rate > 300) {
					this.out.refuse("vital_signs", position, key + "/heart-rate", "Observation",
							"heart_rate " + rate + " is not a heart rate a person can have (20 to 300 per minute)");
				}
				else {
					this.out.add("vital_signs", position, key + "/heart-rate", vital(values, subject, recorded,
							"8867-4", "Heart rate", quantity(BigDecimal.valueOf(rate), "beats/minute", "/min")));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			measurements++;
			this.out.refuse("vital_signs", position, key + "/heart-rate", "Observation", ex.getMessage());
		}
		String pressure = values.text("blood_pressure");
		if (pressure != null) {
			measurements++;
			Matcher parts = BLOOD_PRESSURE.matcher(pressure);
			int systolic = parts.matches() ? Integer.parseInt(parts.group(1)) : -1;
			int diastolic = parts.matches() ? Integer.parseInt(parts.group(2)) : -1;
			if (!parts.matches() || systolic < 50 || systolic > 300 || diastolic < 20 || diastolic > 200
					|| diastolic >= systolic) {
				this.out.refuse("vital_signs", position, key + "/blood-pressure", "Observation", "blood_pressure '"
						+ pressure + "' is not systolic/diastolic in mm[Hg] a person can have (such as 120/80)");
			}
			else {
				Observation panel = vital(values, subject, recorded, "85354-9",
						"Blood pressure panel with all children optional", null);
				panel.addComponent()
					.setCode(loinc("8480-6", "Systolic blood pressure"))
					.setValue(quantity(BigDecimal.valueOf(systolic), "mmHg", "mm[Hg]"));
				panel.addComponent()
					.setCode(loinc("8462-4", "Diastolic blood pressure"))
					.setValue(quantity(BigDecimal.valueOf(diastolic), "mmHg", "mm[Hg]"));
				this.out.add("vital_signs", position, key + "/blood-pressure", panel);
			}
		}
		try {
			BigDecimal temperature = values.decimal("temperature");
			if (temperature != null) {
				measurements++;
				if (temperature.compareTo(BigDecimal.valueOf(25)) < 0
						|| temperature.compareTo(BigDecimal.valueOf(45)) > 0) {
					this.out.refuse("vital_signs", position, key + "/temperature", "Observation", "temperature "
							+ temperature + " is not a body temperature in Cel (25 to 45)"
							+ ((temperature.compareTo(BigDecimal.valueOf(77)) >= 0
									&& temperature.compareTo(BigDecimal.valueOf(113)) <= 0)
											? "; it looks like [degF], but the store does not say its unit, so it is "
													+ "not converted"
											: ""));
				}
				else {
					this.out.add("vital_signs", position, key + "/temperature", vital(values, subject, recorded,
							"8310-5", "Body temperature", quantity(temperature, "C", "Cel")));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			measurements++;
			this.out.refuse("vital_signs", position, key + "/temperature", "Observation", ex.getMessage());
		}
		try {
			Long saturation = values.integer("oxygen_saturation");
			if (saturation != null) {
				measurements++;
				if (saturation < 50 || saturation > 100) {
					this.out.refuse("vital_signs", position, key + "/oxygen-saturation", "Observation",
							"oxygen_saturation " + saturation + " is not an oxygen saturation in % (50 to 100)");
				}
				else {
					Observation oxygen = vital(values, subject, recorded, "59408-5",
							"Oxygen saturation in Arterial blood by Pulse oximetry",
							quantity(BigDecimal.valueOf(saturation), "%", "%"));
					// The R4 vital-signs profile's code for oxygen saturation, beside the
					// pulse oximetry one.
					oxygen.getCode().addCoding(new Coding(LOINC, "2708-6", "Oxygen saturation in Arterial blood"));
					this.out.add("vital_signs", position, key + "/oxygen-saturation", oxygen);
				}
			}
		}
		catch (IllegalArgumentException ex) {
			measurements++;
			this.out.refuse("vital_signs", position, key + "/oxygen-saturation", "Observation", ex.getMessage());
		}
		if (measurements == 0) {
			this.out.skip("vital_signs", position, key, "Observation", "the row holds no measurement");
		}
	}

	private void appointment(int position, Map<String, Object> row, Map<Long, Long> patientOfUser,
			Map<Long, Map<String, Object>> users) {
		LegacyValues values = new LegacyValues(row, this.zone);
		String key = "appointments/" + values.text("id");
		try {
			Long patient = patientOfUser.get(values.integer("patient_id"));
			if (patient == null) {
				this.out.refuse("appointments", position, key, "Appointment",
						"patient_id " + values.text("patient_id") + " names no patient");
				return;
			}
			Long doctor = values.integer("doctor_id");
			if (doctor == null || !users.containsKey(doctor)) {
				this.out.refuse("appointments", position, key, "Appointment",
						"doctor_id " + values.text("doctor_id") + " names no user");
				return;
			}
			LocalDate day = values.date("appointment_date");
			LocalTime time = values.time("appointment_time");
			String status = (values.text("status") != null) ? values.text("status").toLowerCase(Locale.ROOT)
					: "scheduled";
			Appointment.AppointmentStatus mapped = switch (status) {
				case "scheduled", "confirmed", "booked" -> Appointment.AppointmentStatus.BOOKED;
				case "completed", "done", "fulfilled" -> Appointment.AppointmentStatus.FULFILLED;
				case "cancelled", "canceled" -> Appointment.AppointmentStatus.CANCELLED;
				case "no-show", "no_show", "noshow", "missed" -> Appointment.AppointmentStatus.NOSHOW;
				case "pending", "requested", "proposed" -> Appointment.AppointmentStatus.PROPOSED;
				default -> null;
			};
			if (mapped == null) {
				this.out.refuse("appointments", position, key, "Appointment", "status '" + status
						+ "' is none of scheduled, confirmed, completed, cancelled, no-show, pending");
				return;
			}
			if ((day == null) != (time == null)) {
				this.out.refuse("appointments", position, key, "Appointment",
						"appointment_date and appointment_time go together: one of them is empty");
				return;
			}
			Appointment appointment = new Appointment();
			appointment.setStatus(mapped);
			if (day != null && time != null) {
				Instant start = day.atTime(time).atZone(this.zone).toInstant();
				appointment.setStart(Date.from(start));
				appointment.setEnd(Date.from(start.plus(APPOINTMENT_LENGTH)));
			}
			if (values.text("type") != null) {
				appointment.setAppointmentType(new CodeableConcept().setText(values.text("type")));
			}
			Appointment.ParticipationStatus participation = switch (mapped) {
				case PROPOSED -> Appointment.ParticipationStatus.NEEDSACTION;
				case CANCELLED -> Appointment.ParticipationStatus.DECLINED;
				default -> Appointment.ParticipationStatus.ACCEPTED;
			};
			appointment.addParticipant().setActor(new Reference("patients/" + patient)).setStatus(participation);
			appointment.addParticipant().setActor(new Reference("users/" + doctor)).setStatus(participation);
			this.out.add("appointments", position, key, appointment);
		}
		catch (IllegalArgumentException ex) {
			this.out.refuse("appointments", position, key, "Appointment", ex.getMessage());
		}
	}

	private void prescription(int position, Map<String, Object> row, Map<Long, Long> patientOfUser,
			Map<Long, Map<String, Object>> users, Set<String> medications) {
		LegacyValues values = new LegacyValues(row, this.zone);
		String key = "prescriptions/" + values.text("id");
		try {
			Long patient = patientOfUser.get(values.integer("patient_id"));
			if (patient == null) {
				this.out.refuse("prescriptions", position, key, "MedicationRequest",
						"patient_id " + values.text("patient_id") + " names no patient: a prescription needs one");
				return;
			}
			Long doctor = values.integer("doctor_id");
			if (doctor == null || !users.containsKey(doctor)) {
				this.out.refuse("prescriptions", position, key, "MedicationRequest",
						"doctor_id " + values.text("doctor_id") + " names no user: a prescription needs a prescriber");
				return;
			}
			String medication = values.text("medication");
			if (medication == null) {
				this.out.refuse("prescriptions", position, key, "MedicationRequest", "medication is empty");
				return;
			}
			String medicationKey = "medications/" + medication.toLowerCase(Locale.ROOT);
			if (medications.add(medicationKey)) {
				this.out.add("prescriptions", position, medicationKey,
						new Medication().setCode(new CodeableConcept().setText(medication)));
			}
			String status = (values.text("status") != null) ? values.text("status").toLowerCase(Locale.ROOT)
					: "unknown";
			MedicationRequest request = new MedicationRequest();
			request.setStatus(switch (status) {
				case "pending", "draft" -> MedicationRequest.MedicationRequestStatus.DRAFT;
				case "active", "approved", "sent", "ready" -> MedicationRequest.MedicationRequestStatus.ACTIVE;
				case "filled", "dispensed", "completed", "picked_up" ->
					MedicationRequest.MedicationRequestStatus.COMPLETED;
				case "cancelled", "canceled", "rejected" -> MedicationRequest.MedicationRequestStatus.CANCELLED;
				case "on-hold", "on_hold" -> MedicationRequest.MedicationRequestStatus.ONHOLD;
				default -> MedicationRequest.MedicationRequestStatus.UNKNOWN;
			});
			request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
			request.setMedication(new Reference(medicationKey));
			request.setSubject(new Reference("patients/" + patient));
			request.setRequester(new Reference("users/" + doctor));
			Instant authored = values.instant("created_at");
			if (authored != null) {
				request.setAuthoredOnElement(new DateTimeType(Date.from(authored)));
			}
			StringBuilder dosage = new StringBuilder();
			for (String part : new String[] { values.text("dosage"), values.text("frequency") }) {
				if (part != null) {
					dosage.append((dosage.length() > 0) ? ", " : "").append(part);
				}
			}
			if (dosage.length() > 0) {
				request.addDosageInstruction().setText(dosage.toString());
			}
			this.out.add("prescriptions", position, key, request);
		}
		catch (IllegalArgumentException ex) {
			this.out.refuse("prescriptions", position, key, "MedicationRequest", ex.getMessage());
		}
	}

	private Observation vital(LegacyValues values, Reference subject, Instant recorded, String code, String display,
			Quantity value) {
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation
			.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category",
					"vital-signs", "Vital Signs")));
		observation.setCode(loinc(code, display));
		observation.setSubject(subject);
		observation.setEffective(new DateTimeType(Date.from(recorded)));
		if (value != null) {
			observation.setValue(value);
		}
		if (values.text("device_source") != null) {
			observation.setDevice(new Reference().setDisplay(values.text("device_source")));
		}
		return observation;
	}

	private static CodeableConcept loinc(String code, String display) {
		return new CodeableConcept(new Coding(LOINC, code, display)).setText(display);
	}

	private static Quantity quantity(BigDecimal value, String unit, String code) {
		return new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(code);
	}

	private static HumanName name(String full) {
		HumanName name = new HumanName();
		if (full == null) {
			return name;
		}
		name.setText(full);
		String[] parts = full.trim().split("\\s+");
		name.setFamily(parts[parts.length - 1]);
		for (int i = 0; i < parts.length - 1; i++) {
			name.addGiven(parts[i]);
		}
		return name;
	}

	private static void telecom(LegacyValues values, List<ContactPoint> telecom) {
		if (values.text("phone") != null) {
			telecom.add(
					new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(values.text("phone")));
		}
		if (values.text("email") != null) {
			telecom.add(
					new ContactPoint().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(values.text("email")));
		}
	}

	private static List<String> items(String text) {
		List<String> items = new ArrayList<>();
		if (text != null) {
			for (String item : text.split("[,;\\n]")) {
				if (!item.isBlank()) {
					items.add(item.trim());
				}
			}
		}
		return items;
	}

}
