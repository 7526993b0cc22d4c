package health.crosswalk.migration;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The {@code users} collection of a MediChat store, as {@code mongoexport} writes it (a
 * document per line, or a JSON array; MongoDB's extended JSON such as {@code $oid} and
 * {@code $date} understood): each patient a Patient, with its embedded {@code allergies}
 * as AllergyIntolerance, {@code currentMedications} as MedicationStatement (what the
 * patient takes, not a prescription) and {@code medicalHistory} as Condition (ICD-10
 * coded when the entry has a code).
 *
 * <p>
 * Records are named by the document's id and the entry's position
 * ({@code users/650f…/allergies/1}). Accounts that are no patient (doctors, staff) are
 * skipped with the reason: a chat application's accounts are not clinical records.
 * Passwords are never read.
 */
final class MediChatMapping {

	private static final Set<String> SEVERE = Set.of("severe", "high", "life-threatening", "anaphylaxis");

	private final LegacyRecords out;

	private final ZoneId zone;

	private final String mrnSystem;

	MediChatMapping(FhirContext fhir, ZoneId zone, String mrnSystem) {
		this.out = new LegacyRecords(fhir);
		this.zone = zone;
		this.mrnSystem = mrnSystem;
	}

	/**
	 * Reads a {@code mongoexport} of the users collection.
	 * @param file the export
	 * @return its documents, in order
	 * @throws IOException if it cannot be read or is not JSON
	 */
	static List<JsonNode> documents(Path file) throws IOException {
		ObjectMapper mapper = new ObjectMapper();
		String start;
		try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			int first;
			do {
				first = reader.read();
			}
			while (first != -1 && Character.isWhitespace(first));
			start = (first == -1) ? "" : String.valueOf((char) first);
		}
		List<JsonNode> documents = new ArrayList<>();
		if (start.equals("[")) {
			mapper.readTree(file.toFile()).forEach(documents::add);
			return documents;
		}
		try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (!line.isBlank()) {
					documents.add(mapper.readTree(line));
				}
			}
		}
		return documents;
	}

	MappedStore map(List<JsonNode> users) {
		int position = 0;
		for (JsonNode user : users) {
			position++;
			user(position, user);
		}
		return this.out.store(Map.of("users", users.size()));
	}

	private void user(int position, JsonNode user) {
		String id = text(user.get("_id"));
		String key = "users/" + id;
		if (id == null) {
			this.out.refuse("users", position, "users/#" + position, "Patient", "the document has no _id");
			return;
		}
		String role = (text(user.get("role")) != null) ? text(user.get("role")).toLowerCase(Locale.ROOT) : "patient";
		if (!role.equals("patient")) {
			this.out.skip("users", position, key, null, "an account with role '" + role
					+ "': the chat application's accounts of clinicians and staff are not clinical records; passwords "
					+ "are never imported");
			return;
		}
		try {
			Patient patient = new Patient();
			patient.addIdentifier(LegacyRecords.mrn(this.mrnSystem, id));
			HumanName name = patient.addName();
			String first = firstText(user, "firstName", "first_name", "givenName");
			String last = firstText(user, "lastName", "last_name", "familyName");
			if (first != null) {
				name.addGiven(first);
			}
			if (last != null) {
				name.setFamily(last);
			}
			if (first == null && last == null && text(user.get("name")) != null) {
				name.setText(text(user.get("name")));
				String[] parts = text(user.get("name")).split("\\s+");
				name.setFamily(parts[parts.length - 1]);
			}
			patient.setGender(LegacyRecords.gender(firstText(user, "gender", "sex")));
			LocalDate born = date(firstNode(user, "dateOfBirth", "dob", "birthDate"), "dateOfBirth");
			if (born != null) {
				patient.setBirthDateElement(new DateType(born.toString()));
			}
			if (text(user.get("phone")) != null) {
				patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(text(user.get("phone")));
			}
			if (text(user.get("email")) != null) {
				patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(text(user.get("email")));
			}
			this.out.add("users", position, key, patient);
		}
		catch (IllegalArgumentException ex) {
			this.out.refuse("users", position, key, "Patient", ex.getMessage());
			return;
		}
		Reference subject = new Reference(key);
		int n = 0;
		for (JsonNode allergy : array(user, "allergies")) {
			n++;
			String entry = key + "/allergies/" + n;
			String allergen = allergy.isTextual() ? allergy.asText()
					: firstText(allergy, "allergen", "name", "substance");
			if (allergen == null || allergen.isBlank()) {
				this.out.refuse("users", position, entry, "AllergyIntolerance", "the allergy names no allergen");
				continue;
			}
			AllergyIntolerance intolerance = new AllergyIntolerance();
			intolerance.setPatient(subject);
			intolerance.setClinicalStatus(new CodeableConcept(new Coding(
					"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active")));
			intolerance.setCode(new CodeableConcept().setText(allergen));
			String severity = allergy.isObject() ? text(allergy.get("severity")) : null;
			String level = (severity != null) ? severity.toLowerCase(Locale.ROOT) : "";
			if (SEVERE.contains(level)) {
				intolerance.setCriticality(AllergyIntolerance.AllergyIntoleranceCriticality.HIGH);
			}
			else if (level.equals("mild") || level.equals("low")) {
				intolerance.setCriticality(AllergyIntolerance.AllergyIntoleranceCriticality.LOW);
			}
			String reaction = allergy.isObject() ? text(allergy.get("reaction")) : null;
			if (reaction != null) {
				AllergyIntolerance.AllergyIntoleranceReactionComponent happened = intolerance.addReaction();
				happened.addManifestation(new CodeableConcept().setText(reaction));
				switch (level) {
					case "mild" -> happened.setSeverity(AllergyIntolerance.AllergyIntoleranceSeverity.MILD);
					case "moderate" -> happened.setSeverity(AllergyIntolerance.AllergyIntoleranceSeverity.MODERATE);
					case "severe" -> happened.setSeverity(AllergyIntolerance.AllergyIntoleranceSeverity.SEVERE);
					default -> {
						// No reaction severity given, or none of R4's three.
					}
				}
			}
			this.out.add("users", position, entry, intolerance);
		}
		n = 0;
		for (JsonNode medication : array(user, "currentMedications", "medications")) {
			n++;
			String entry = key + "/medications/" + n;
			String drug = medication.isTextual() ? medication.asText() : firstText(medication, "name", "medication");
			if (drug == null || drug.isBlank()) {
				this.out.refuse("users", position, entry, "MedicationStatement", "the medication has no name");
				continue;
			}
			try {
				MedicationStatement statement = new MedicationStatement();
				statement.setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE);
				statement.setSubject(subject);
				statement.setMedication(new CodeableConcept().setText(drug));
				if (medication.isObject()) {
					StringBuilder dosage = new StringBuilder();
					for (String part : new String[] { text(medication.get("dosage")),
							text(medication.get("frequency")) }) {
						if (part != null) {
							dosage.append((dosage.length() > 0) ? ", " : "").append(part);
						}
					}
					if (dosage.length() > 0) {
						statement.addDosage().setText(dosage.toString());
					}
					LocalDate since = date(medication.get("startDate"), "startDate");
					if (since != null) {
						statement.setEffective(new Period().setStartElement(new DateTimeType(since.toString())));
					}
				}
				this.out.add("users", position, entry, statement);
			}
			catch (IllegalArgumentException ex) {
				this.out.refuse("users", position, entry, "MedicationStatement", ex.getMessage());
			}
		}
		n = 0;
		for (JsonNode history : array(user, "medicalHistory", "history")) {
			n++;
			String entry = key + "/history/" + n;
			String problem = history.isTextual() ? history.asText()
					: firstText(history, "condition", "name", "diagnosis");
			if (problem == null || problem.isBlank()) {
				this.out.refuse("users", position, entry, "Condition", "the history entry names no condition");
				continue;
			}
			try {
				Condition condition = new Condition();
				condition.setSubject(subject);
				CodeableConcept code = new CodeableConcept().setText(problem);
				String icd10 = history.isObject() ? firstText(history, "icd10", "icd10Code", "icd_10") : null;
				if (icd10 != null) {
					code.addCoding(new Coding("http://hl7.org/fhir/sid/icd-10", icd10, problem));
				}
				condition.setCode(code);
				String status = history.isObject() ? text(history.get("status")) : null;
				String clinical = (status == null) ? "active" : switch (status.toLowerCase(Locale.ROOT)) {
					case "resolved", "cured" -> "resolved";
					case "inactive", "past" -> "inactive";
					case "remission" -> "remission";
					default -> "active";
				};
				condition.setClinicalStatus(new CodeableConcept(
						new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical, null)));
				condition.addCategory(
						new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-category",
								"problem-list-item", "Problem List Item")));
				LocalDate onset = history.isObject()
						? date(firstNode(history, "diagnosedDate", "onsetDate", "date"), "diagnosedDate") : null;
				if (onset != null) {
					condition.setOnset(new DateTimeType(onset.toString()));
				}
				if (history.isObject() && text(history.get("notes")) != null) {
					condition.addNote().setText(text(history.get("notes")));
				}
				this.out.add("users", position, entry, condition);
			}
			catch (IllegalArgumentException ex) {
				this.out.refuse("users", position, entry, "Condition", ex.getMessage());
			}
		}
	}

	/**
	 * A value, with MongoDB's extended JSON ({@code $oid}, {@code $date}, numbers)
	 * unwrapped.
	 */
	private static String text(JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		if (node.isObject()) {
			for (String wrapper : List.of("$oid", "$date", "$numberLong", "$numberInt", "$numberDecimal")) {
				if (node.has(wrapper)) {
					return text(node.get(wrapper));
				}
			}
			return null;
		}
		String text = node.asText().trim();
		return text.isEmpty() ? null : text;
	}

	private static JsonNode firstNode(JsonNode node, String... fields) {
		for (String field : fields) {
			if (node.hasNonNull(field)) {
				return node.get(field);
			}
		}
		return null;
	}

	private static String firstText(JsonNode node, String... fields) {
		return text(firstNode(node, fields));
	}

	/** An embedded list; a single value where a list was meant is a list of one. */
	private static Iterable<JsonNode> array(JsonNode node, String... fields) {
		JsonNode found = firstNode(node, fields);
		if (found == null) {
			return List.of();
		}
		return found.isArray() ? found : List.of(found);
	}

	/** A date, from a date, a timestamp (in the store's zone) or epoch milliseconds. */
	private LocalDate date(JsonNode node, String field) {
		String text = text(node);
		if (text == null) {
			return null;
		}
		try {
			if (text.matches("-?\\d{9,}")) {
				return Instant.ofEpochMilli(Long.parseLong(text)).atZone(this.zone).toLocalDate();
			}
			if (text.length() == 10) {
				return LocalDate.parse(text);
			}
			return OffsetDateTime.parse(text).atZoneSameInstant(this.zone).toLocalDate();
		}
		catch (DateTimeParseException | NumberFormatException ex) {
			throw new IllegalArgumentException(field + " '" + text + "' is not a date");
		}
	}

}
