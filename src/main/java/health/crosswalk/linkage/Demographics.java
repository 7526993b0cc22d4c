package health.crosswalk.linkage;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * The normalised demographics of one Patient record that matching compares: lower case,
 * accents and punctuation removed, phone numbers as their last ten digits.
 *
 * @param family family names (official first, then others such as maiden names)
 * @param given given names of the official name
 * @param birthDate birth date, or null
 * @param gender administrative gender code, or null
 * @param postalCode postal code without spaces, or null
 * @param phone last ten digits of a phone number, or null
 * @param email e-mail address, or null
 * @param trustedIdentifiers {@code system|value} of identifiers in trusted cross-hospital
 * systems
 */
record Demographics(List<String> family, List<String> given, LocalDate birthDate, String gender, String postalCode,
		String phone, String email, Set<String> trustedIdentifiers) {

	static Demographics of(Patient patient, Set<String> trustedSystems) {
		List<String> family = new ArrayList<>();
		List<String> given = new ArrayList<>();
		HumanName official = patient.getName()
			.stream()
			.filter((name) -> name.getUse() == HumanName.NameUse.OFFICIAL)
			.findFirst()
			.orElse(patient.getNameFirstRep());
		addName(family, official.getFamily());
		official.getGiven().stream().map(StringType::getValue).forEach((name) -> addName(given, name));
		for (HumanName other : patient.getName()) {
			if (other != official) {
				addName(family, other.getFamily());
			}
		}
		LocalDate birthDate = birthDate(patient.getBirthDateElement().getValueAsString());
		String gender = (patient.getGender() != null) ? patient.getGender().toCode() : null;
		String postalCode = patient.getAddress()
			.stream()
			.map((address) -> address.getPostalCode())
			.filter((code) -> code != null && !code.isBlank())
			.map((code) -> code.replaceAll("\\s", "").toLowerCase(Locale.ROOT))
			.findFirst()
			.orElse(null);
		String phone = telecom(patient, ContactPoint.ContactPointSystem.PHONE);
		if (phone != null) {
			String digits = phone.replaceAll("\\D", "");
			phone = (digits.length() >= 7) ? digits.substring(Math.max(0, digits.length() - 10)) : null;
		}
		String email = telecom(patient, ContactPoint.ContactPointSystem.EMAIL);
		Set<String> trusted = new LinkedHashSet<>();
		for (Identifier identifier : patient.getIdentifier()) {
			if (identifier.hasSystem() && identifier.hasValue() && trustedSystems.contains(identifier.getSystem())) {
				trusted.add(identifier.getSystem() + "|" + identifier.getValue().trim());
			}
		}
		return new Demographics(List.copyOf(family), List.copyOf(given), birthDate, gender, postalCode, phone,
				(email != null) ? email.trim().toLowerCase(Locale.ROOT) : null, Set.copyOf(trusted));
	}

	private static String telecom(Patient patient, ContactPoint.ContactPointSystem system) {
		return patient.getTelecom()
			.stream()
			.filter((point) -> point.getSystem() == system && point.hasValue())
			.map(ContactPoint::getValue)
			.findFirst()
			.orElse(null);
	}

	private static void addName(List<String> names, String name) {
		String normal = normalise(name);
		if (!normal.isEmpty() && !names.contains(normal)) {
			names.add(normal);
		}
	}

	static String normalise(String name) {
		if (name == null) {
			return "";
		}
		String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
		return decomposed.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
	}

	String firstFamily() {
		return this.family.isEmpty() ? null : this.family.get(0);
	}

	String firstGiven() {
		return this.given.isEmpty() ? null : this.given.get(0);
	}

	/**
	 * Only a full date compares; a year or year-month alone ("1984") counts as missing,
	 * and so does a value that is no date at all, which the profile check refuses on its
	 * own.
	 */
	static LocalDate birthDate(String birth) {
		if (birth == null || birth.length() != 10) {
			return null;
		}
		try {
			return LocalDate.parse(birth);
		}
		catch (java.time.format.DateTimeParseException ex) {
			return null;
		}
	}

}
