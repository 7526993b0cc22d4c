package health.crosswalk.profiles;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Primitive values as the core validator 6.7.9 checks them (its {@code checkPrimitive}),
 * and which code systems it accepts codes of without knowing them (its
 * {@code checkCode}). Stricter than the validator where that keeps it simple: a value it
 * does not pass here goes to the full validator, which has the last word.
 */
final class Primitives {

	static final String MIME_TYPES = "urn:ietf:bcp:13";

	private static final String DATE = "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?";

	private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)";

	private static final String ZONE = "(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))";

	private static final Map<String, Pattern> FORMATS = Map.ofEntries(
			Map.entry("boolean", Pattern.compile("true|false")),
			Map.entry("code", Pattern.compile("[^\\s]+( [^\\s]+)*")), Map.entry("date", Pattern.compile(DATE)),
			Map.entry("dateTime", Pattern.compile(DATE + "(T" + TIME + "(\\.[0-9]+)?" + ZONE + ")?")),
			Map.entry("instant", Pattern.compile(
					"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T"
							+ TIME + "(\\.[0-9]+)?" + ZONE)),
			Map.entry("time", Pattern.compile(TIME)),
			Map.entry("decimal", Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?")),
			Map.entry("integer", Pattern.compile("-?(0|[1-9][0-9]{0,9})")),
			Map.entry("positiveInt", Pattern.compile("[1-9][0-9]{0,9}")),
			Map.entry("unsignedInt", Pattern.compile("0|[1-9][0-9]{0,9}")),
			Map.entry("id", Pattern.compile("[A-Za-z0-9\\-\\.]{1,64}")),
			Map.entry("oid", Pattern.compile("urn:oid:[0-2](\\.(0|[1-9][0-9]*))+")),
			Map.entry("uuid", Pattern.compile("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")),
			Map.entry("base64Binary", Pattern.compile("[A-Za-z0-9+/]*={0,2}")));

	private static final Set<String> URIS = Set.of("uri", "url", "canonical", "oid", "uuid");

	private static final Set<String> TEXTS = Set.of("string", "markdown");

	private static final Pattern UUID_URN = Pattern
		.compile("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern OID_URN = Pattern.compile("urn:oid:[0-2](\\.(0|[1-9][0-9]*))+");

	private static final Pattern ABSOLUTE = Pattern.compile("[a-z][a-z0-9_+.\\-]*:[^\\s]+");

	/** {@code hl7.org/fhir/sid/} systems the validator accepts without a definition. */
	private static final Set<String> SID = Set.of("ndc", "icpc-2", "icpc-1", "icpc-1-nl", "icd-9", "icd-10", "cvx",
			"srt", "icd-10-vn", "icd-10-cm", "icd-10-am", "icd-9-cm", "icf-nl", "ca-hc-npn", "ca-hc-din", "dsm5",
			"ex-icd-10-procedures");

	private static final Set<String> WELL_KNOWN = Set.of("http://snomed.info/sct", "http://loinc.org",
			"http://unitsofmeasure.org", "http://www.nlm.nih.gov/research/umls/rxnorm");

	private Primitives() {
	}

	/**
	 * Whether the validator finds no error in this value of this primitive type.
	 * @param type the FHIR primitive type code
	 * @param text the value as HAPI encodes it, not null
	 */
	static boolean valid(String type, String text) {
		if (text.isBlank() || hasWeirdWhitespace(text)) {
			return false;
		}
		if (TEXTS.contains(type)) {
			return text.length() <= 1_048_576;
		}
		if (URIS.contains(type)) {
			return uri(type, text);
		}
		Pattern format = FORMATS.get(type);
		if (format == null || !format.matcher(text).matches()) {
			return false;
		}
		switch (type) {
			case "integer", "positiveInt", "unsignedInt":
				return Long.parseLong(text) <= Integer.MAX_VALUE && Long.parseLong(text) >= Integer.MIN_VALUE;
			case "date", "dateTime", "instant":
				return realDate(text);
			case "base64Binary":
				return base64(text);
			default:
				return true;
		}
	}

	static boolean base64(String text) {
		try {
			Base64.getDecoder().decode(text);
			return text.length() % 4 == 0;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** An absolute URI as the validator's {@code isAbsoluteUrl} reads it (stricter). */
	static boolean absolute(String uri) {
		return ABSOLUTE.matcher(uri).matches();
	}

	private static boolean uri(String type, String text) {
		if (text.startsWith("oid:") || text.startsWith("uuid:") || text.indexOf(' ') >= 0
				|| text.chars().anyMatch(Character::isWhitespace)) {
			return false;
		}
		if (type.equals("oid") || type.equals("uuid")) {
			return FORMATS.get(type).matcher(text).matches() && (!type.equals("oid") || oidDeepEnough(text));
		}
		if (type.equals("canonical") && !text.startsWith("#") && !absolute(text)) {
			return false;
		}
		if (text.startsWith("urn:uuid:")) {
			return UUID_URN.matcher(text).matches();
		}
		if (text.startsWith("urn:oid:")) {
			return OID_URN.matcher(text).matches() && oidDeepEnough(text);
		}
		return true;
	}

	private static boolean oidDeepEnough(String urn) {
		String oid = urn.substring("urn:oid:".length());
		return oid.lastIndexOf('.') >= 4 || oid.startsWith("1.3");
	}

	private static boolean realDate(String text) {
		String day = (text.length() >= 10) ? text.substring(0, 10) : null;
		if (day == null) {
			return true;
		}
		try {
			LocalDate.parse(day);
			return true;
		}
		catch (DateTimeParseException ex) {
			return false;
		}
	}

	/**
	 * Whitespace the validator counts and Java's {@code \s} does not, or control
	 * characters.
	 */
	private static boolean hasWeirdWhitespace(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x85 || c == 0xA0 || c == 0x1680
					|| (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
					|| c == 0x3000) {
				return true;
			}
		}
		return false;
	}

	static boolean isMimeTypes(String valueSet) {
		return "http://hl7.org/fhir/ValueSet/mimetypes".equals(valueSet);
	}

	/**
	 * A code system the chain does not hold whose codes the validator takes without an
	 * error in a Coding of its own (outside required bindings): any absolute system
	 * except those its {@code checkCode} refuses (build.fhir.org, hl7.org/fhir systems it
	 * does not know, near misses of SNOMED CT, LOINC, UCUM and RxNorm).
	 */
	static boolean unvalidatedSystem(String system) {
		if (!(system.startsWith("http:") || system.startsWith("https:") || system.startsWith("urn:"))
				|| !valid("uri", system) || system.matches("https?://build\\.fhir\\.org.*")) {
			return false;
		}
		String bare = system.replaceFirst("^https?://(www\\.)?", "");
		if (bare.startsWith("hl7.org/fhir")) {
			return bare.startsWith("hl7.org/fhir/sid/") && SID.contains(bare.substring("hl7.org/fhir/sid/".length()));
		}
		for (String known : WELL_KNOWN) {
			if (system.startsWith(known) && !system.equals(known)) {
				return false;
			}
		}
		return true;
	}

}
