package health.crosswalk.migration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.CoreResources;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The old applications' stores imported: MediConnect Pro, as its JSON file and as SQLite
 * tables, into two hospitals (every row written or reported with its reason, vital signs
 * as LOINC Observations in UCUM units, a second run idempotent, the same person at both
 * hospitals under one UPI); a MediChat mongoexport with its embedded clinical data; a
 * MediPact registry whose linkages become steward links.
 */
class LegacyStoresImportIT extends CrosswalkIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String MEDICONNECT = "mediconnect";

	private static final String LEGACY = FhirImport.LEGACY_SYSTEM + MEDICONNECT;

	private static final String UPI = "https://fhir.crosswalk.health/sid/upi";

	@TempDir
	Path directory;

	@Test
	void aMediConnectStoreImportsWithEveryRowAccountedForAndTheSamePersonLinksAcrossHospitals() throws Exception {
		String family = "Wanjiru" + letters();
		TestHospital north = newHospital();
		Path store = this.directory.resolve("mediconnect.json");
		JSON.writeValue(store.toFile(), Map.of(
				// A doctor, a patient's login, an administrator, another patient's login.
				"users",
				List.of(Map.of("id", 1, "email", "dr.otieno@example.org", "password", "$2b$10$secret", "role", "doctor",
						"name", "Joseph Otieno", "specialization", "Cardiology"),
						Map.of("id", 2, "email", "amina@example.org", "password", "$2b$10$x", "role", "patient", "name",
								"Amina " + family, "phone", "+254 700 000001"),
						Map.of("id", 3, "email", "admin@example.org", "password", "$2b$10$y", "role", "admin", "name",
								"Site Admin"),
						Map.of("id", 4, "email", "baraka@example.org", "password", "$2b$10$z", "role", "patient",
								"name", "Baraka " + family)),
				"patients",
				List.of(Map.of("id", 10, "user_id", 2, "date_of_birth", "1961-04-12", "gender", "female", "allergies",
						"Penicillin; NKDA", "conditions", "Hypertension", "address", "12 Moi Avenue, Nairobi"),
						Map.of("id", 11, "user_id", 4, "date_of_birth", "1990-01-30", "gender", "male")),
				"vital_signs",
				List.of(Map.of("id", 100, "patient_id", 10, "heart_rate", 72, "blood_pressure", "128/82", "temperature",
						36.8, "oxygen_saturation", 97, "recorded_at", "2026-03-01 09:15:00", "device_source",
						"Omron M7"),
						// An impossible unit: a Fahrenheit reading in a Celsius column.
						Map.of("id", 101, "patient_id", 10, "heart_rate", 80, "temperature", 98.6, "recorded_at",
								"2026-03-02T09:15:00Z"),
						Map.of("id", 102, "patient_id", 999, "heart_rate", 70, "recorded_at", "2026-03-03T09:15:00Z")),
				"appointments", List.of(Map.of("id", 200, "patient_id", 2, "doctor_id", 1, "appointment_date",
						"2026-04-01", "appointment_time", "10:30", "type", "Follow-up", "status", "scheduled")),
				"prescriptions",
				List.of(Map.of("id", 300, "patient_id", 2, "doctor_id", 1, "medication", "Amlodipine 5mg", "dosage",
						"5 mg", "frequency", "once daily", "status", "active", "created_at", "2026-03-01T09:30:00Z"),
						// A prescription without a patient.
						Map.of("id", 301, "patient_id", 77, "doctor_id", 1, "medication", "Metformin 500mg", "dosage",
								"500 mg", "frequency", "twice daily", "status", "active", "created_at",
								"2026-03-01T09:40:00Z"))));
		Path report = this.directory.resolve("north");
		String[] command = { "import", "--format", "mediconnect", store.toString(), "--hospital", north.slug(),
				"--report", report.toString() };

		run(command, 1);
		JsonNode counts = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(counts.get("balanced").asBoolean()).isTrue();
		assertThat(counts.get("rowsRead").toString()).contains("\"users\":4", "\"vital_signs\":3",
				"\"prescriptions\":2");
		assertThat(counts.at("/types/Patient/created").asInt()).isEqualTo(2);
		assertThat(counts.at("/types/Practitioner/created").asInt()).isEqualTo(1);
		// Row 100: four measurements; row 101: the heart rate.
		assertThat(counts.at("/types/Observation/created").asInt()).isEqualTo(5);
		assertThat(counts.at("/types/Observation/refused").asInt()).isEqualTo(2);
		assertThat(counts.at("/types/AllergyIntolerance/created").asInt()).isEqualTo(2);
		assertThat(counts.at("/types/Condition/created").asInt()).isEqualTo(1);
		assertThat(counts.at("/types/Appointment/created").asInt()).isEqualTo(1);
		assertThat(counts.at("/types/MedicationRequest/created").asInt()).isEqualTo(1);
		assertThat(counts.at("/types/MedicationRequest/refused").asInt()).isEqualTo(1);
		assertThat(counts.get("skipped").asInt()).isEqualTo(3);
		String notImported = Files.readString(report.resolve("import-not-imported.ndjson"));
		assertThat(notImported)
			.contains("vital_signs/101/temperature", "[degF]", "vital_signs/102", "patient_id 999 names no patient",
					"prescriptions/301", "a prescription needs one", "users/3")
			.doesNotContain("$2b$");

		IGenericClient client = client(north.key());
		Patient amina = LegacyIds.only(client, Patient.class, MEDICONNECT, "patients/10");
		assertThat(amina.getNameFirstRep().getFamily()).isEqualTo(family);
		assertThat(amina.getBirthDateElement().getValueAsString()).isEqualTo("1961-04-12");
		assertThat(amina.getIdentifier()).extracting(Identifier::getSystem).contains(north.mrnSystem(), LEGACY);
		Observation pressure = LegacyIds.only(client, Observation.class, MEDICONNECT, "vital_signs/100/blood-pressure");
		assertThat(pressure.getCode().getCodingFirstRep().getCode()).isEqualTo("85354-9");
		assertThat(pressure.getComponent())
			.extracting((component) -> component.getCode().getCodingFirstRep().getCode() + "="
					+ component.getValueQuantity().getValue() + " " + component.getValueQuantity().getCode())
			.containsExactly("8480-6=128 mm[Hg]", "8462-4=82 mm[Hg]");
		assertThat(pressure.getSubject().getReferenceElement().getIdPart()).isEqualTo(amina.getIdElement().getIdPart());
		Observation temperature = LegacyIds.only(client, Observation.class, MEDICONNECT, "vital_signs/100/temperature");
		assertThat(temperature.getValueQuantity().getCode()).isEqualTo("Cel");
		Appointment appointment = LegacyIds.only(client, Appointment.class, MEDICONNECT, "appointments/200");
		assertThat(appointment.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
		assertThat(appointment.getParticipant()).extracting((p) -> p.getActor().getReferenceElement().getResourceType())
			.containsExactlyInAnyOrder("Patient", "Practitioner");
		MedicationRequest prescription = LegacyIds.only(client, MedicationRequest.class, MEDICONNECT,
				"prescriptions/300");
		Medication medication = client.read()
			.resource(Medication.class)
			.withId(prescription.getMedicationReference().getReferenceElement())
			.execute();
		assertThat(medication.getCode().getText()).isEqualTo("Amlodipine 5mg");
		assertThat(prescription.getDosageInstructionFirstRep().getText()).isEqualTo("5 mg, once daily");

		// Again: nothing new.
		run(command, 1);
		JsonNode again = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(again.at("/types/Patient/created").asInt()).isZero();
		assertThat(again.at("/types/Observation/created").asInt()).isZero();
		assertThat(again.at("/types/Observation/updated").asInt()).isEqualTo(5);

		// The same person in another hospital's store, as SQLite tables: one UPI.
		TestHospital south = newHospital();
		Path sqlite = this.directory.resolve("south.db");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, password TEXT, role TEXT, "
					+ "name TEXT, phone TEXT)");
			statement.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, user_id INTEGER, date_of_birth TEXT, "
					+ "gender TEXT, address TEXT)");
			statement.execute(
					"INSERT INTO users VALUES (7, 'a.w@example.org', 'x', 'patient', 'Amina " + family + "', NULL)");
			statement.execute("INSERT INTO patients VALUES (70, 7, '1961-04-12', 'F', NULL)");
		}
		Path southReport = this.directory.resolve("south");
		run(new String[] { "import", "--format", "mediconnect", "jdbc:sqlite:" + sqlite, "--hospital", south.slug(),
				"--report", southReport.toString() }, 0);
		Patient elsewhere = LegacyIds.only(client(south.key()), Patient.class, MEDICONNECT, "patients/70");
		assertThat(upi(client(south.key()), elsewhere)).isEqualTo(upi(client, amina));
	}

	@Test
	void aMediChatExportImportsItsPatientsWithTheirAllergiesMedicationsAndHistory() throws Exception {
		TestHospital hospital = newHospital();
		Path export = Files.writeString(this.directory.resolve("users.json"), """
				[{"_id":{"$oid":"65aa01"},"role":"patient","firstName":"Zawadi","lastName":"%s","gender":"female",
				 "dateOfBirth":{"$date":"1984-03-12T00:00:00Z"},"allergies":[{"allergen":"Latex","severity":"mild"}],
				 "currentMedications":[{"name":"Salbutamol inhaler","dosage":"2 puffs","frequency":"as needed"}],
				 "medicalHistory":[{"condition":"Asthma","icd10":"J45.909","diagnosedDate":"2001-06-01"}]},
				{"_id":{"$oid":"65aa02"},"role":"doctor","firstName":"Joseph","lastName":"Kamau"}]
				""".formatted(letters()), StandardCharsets.UTF_8);
		Path report = this.directory.resolve("medichat");

		run(new String[] { "import", "--format", "medichat", export.toString(), "--hospital", hospital.slug(),
				"--report", report.toString() }, 0);

		JsonNode counts = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(counts.get("balanced").asBoolean()).isTrue();
		assertThat(counts.get("skipped").asInt()).isEqualTo(1);
		for (String type : List.of("Patient", "AllergyIntolerance", "MedicationStatement", "Condition")) {
			assertThat(counts.at("/types/" + type + "/created").asInt()).as(type).isEqualTo(1);
		}
		IGenericClient client = client(hospital.key());
		Patient patient = LegacyIds.only(client, Patient.class, "medichat", "users/65aa01");
		Condition asthma = LegacyIds.only(client, Condition.class, "medichat", "users/65aa01/history/1");
		assertThat(asthma.getSubject().getReferenceElement().getIdPart()).isEqualTo(patient.getIdElement().getIdPart());
		assertThat(asthma.getCode().getCodingFirstRep().getCode()).isEqualTo("J45.909");
	}

	@Test
	void aMediPactStoreRegistersItsHospitalsAndLinksTheirPatientsUnderOneUpi() throws Exception {
		String tag = letters().toUpperCase(java.util.Locale.ROOT);
		// Two hospitals in the network with their MRN systems, two only in MediPact.
		TestHospital first = newHospital();
		TestHospital second = newHospital();
		String a = first.slug().toUpperCase(java.util.Locale.ROOT);
		String b = second.slug().toUpperCase(java.util.Locale.ROOT);
		Path sqlite = this.directory.resolve("medipact.db");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE hospitals (hospital_id TEXT PRIMARY KEY, name TEXT, country TEXT, "
					+ "api_key_hash TEXT, status TEXT)");
			statement.execute("CREATE TABLE patient_identities (upi TEXT PRIMARY KEY, status TEXT)");
			statement.execute("CREATE TABLE hospital_linkages (id TEXT PRIMARY KEY, upi TEXT, hospital_id TEXT, "
					+ "hospital_patient_id TEXT, verified INTEGER, verification_method TEXT, status TEXT)");
			statement.execute("INSERT INTO hospitals VALUES ('" + a + "', 'Aga Khan', 'Kenya', '$2b$a', 'active'), ('"
					+ b + "', 'Kenyatta', 'Kenya', '$2b$b', 'active'), ('MP-C-" + tag + "', 'Closed " + tag
					+ "', 'Kenya', '$2b$c', 'inactive'), ('MP-D-" + tag + "', 'Gone', 'Kenya', '$2b$d', 'deleted')");
			statement.execute("INSERT INTO patient_identities VALUES ('U1-" + tag + "', 'active'), ('U2-" + tag
					+ "', 'deleted')");
			statement.execute("INSERT INTO hospital_linkages VALUES ('l1', 'U1-" + tag + "', '" + a + "', 'PA-" + tag
					+ "', 1, 'national_id', 'active'), ('l2', 'U1-" + tag + "', '" + b + "', 'PB-" + tag
					+ "', 0, 'hospital_verification', 'active'), ('l3', 'U2-" + tag + "', '" + a + "', 'PA2-" + tag
					+ "', 1, 'national_id', 'active'), ('l4', 'U1-" + tag + "', 'MP-C-" + tag + "', 'PC-" + tag
					+ "', 1, 'national_id', 'disconnected')");
		}
		Path report = this.directory.resolve("medipact");
		String[] command = { "import", "--format", "medipact", sqlite.toString(), "--report", report.toString() };

		// The hospitals come in; their patients are not in Crosswalk yet.
		run(command, 1);
		JsonNode firstRun = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(firstRun.get("balanced").asBoolean()).isTrue();
		assertThat(firstRun.at("/types/Hospital/created").asInt()).isEqualTo(1);
		assertThat(firstRun.at("/types/Hospital/updated").asInt()).isEqualTo(2);
		assertThat(firstRun.at("/types/Hospital/skipped").asInt()).isEqualTo(1);
		assertThat(firstRun.at("/types/Patient link/refused").asInt()).isEqualTo(2);
		assertThat(firstRun.at("/types/Patient link/skipped").asInt()).isEqualTo(2);
		assertThat(Files.readString(report.resolve("import-not-imported.ndjson"))).contains("key create",
				"import the hospital's patients");

		// Each hospital's EHR sends its patient in its own MRN system: two different
		// people by their demographics. The same id in another namespace is no match.
		IGenericClient atA = client(first.key());
		IGenericClient atB = client(second.key());
		Patient inA = CoreResources.patient(new Identifier().setSystem(first.mrnSystem()).setValue("PA-" + tag));
		Patient inB = CoreResources.patient(new Identifier().setSystem(second.mrnSystem()).setValue("PB-" + tag));
		Patient decoy = CoreResources.patient(new Identifier().setSystem("urn:test:other").setValue("PA-" + tag));
		decoy.getNameFirstRep().setFamily("Decoy" + letters()).getGiven().clear();
		decoy.getNameFirstRep().addGiven("Zed");
		decoy.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1950-01-01"));
		decoy.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE);
		inA.setId(atA.create().resource(inA).execute().getId().toUnqualifiedVersionless());
		inB.setId(atB.create().resource(inB).execute().getId().toUnqualifiedVersionless());
		decoy.setId(atA.create().resource(decoy).execute().getId().toUnqualifiedVersionless());
		assertThat(upi(atB, inB)).isNotEqualTo(upi(atA, inA));

		run(command, 0);
		JsonNode secondRun = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(secondRun.at("/types/Hospital/updated").asInt()).isEqualTo(3);
		assertThat(secondRun.at("/types/Patient link/created").asInt()).isEqualTo(1);
		assertThat(upi(atB, inB)).isEqualTo(upi(atA, inA));
		assertThat(upi(atA, decoy)).isNotEqualTo(upi(atA, inA));

		// Once linked, a run changes nothing.
		run(command, 0);
		assertThat(
				JSON.readTree(report.resolve("import-report.json").toFile()).at("/types/Patient link/created").asInt())
			.isZero();
	}

	private void run(String[] command, int exitCode) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int code = ImportCommandLine.execute(context(), fhirBaseUrl(), command,
				new PrintStream(out, true, StandardCharsets.UTF_8));
		assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(exitCode);
	}

	private static String upi(IGenericClient client, Patient patient) {
		return client.read()
			.resource(Patient.class)
			.withId(patient.getIdElement().toUnqualifiedVersionless())
			.execute()
			.getIdentifier()
			.stream()
			.filter((identifier) -> UPI.equals(identifier.getSystem()))
			.map(Identifier::getValue)
			.findFirst()
			.orElseThrow();
	}

	private static String letters() {
		StringBuilder letters = new StringBuilder();
		new Random().ints(6, 'a', 'z' + 1).forEach((letter) -> letters.append((char) letter));
		return letters.toString();
	}

}
