package health.crosswalk.linkage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Compares two records' demographics: deterministic on shared trusted identifiers,
 * otherwise a Fellegi-Sunter style score with per-field evidence. Also derives the
 * blocking keys under which records are found as candidates.
 */
final class Matcher {

	private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();

	private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

	private final LinkageRules rules;

	Matcher(LinkageRules rules) {
		this.rules = rules;
	}

	LinkageRules rules() {
		return this.rules;
	}

	/**
	 * The comparison of two records.
	 * @param a one record
	 * @param b another record
	 * @return the score, the evidence per field, and whether a trusted identifier decided
	 */
	Comparison compare(Demographics a, Demographics b) {
		Map<String, Double> evidence = new LinkedHashMap<>();
		boolean sharedTrusted = a.trustedIdentifiers().stream().anyMatch(b.trustedIdentifiers()::contains);
		if (conflictingTrustedIdentifier(a, b)) {
			evidence.put("trustedIdentifier", LinkageRules.TRUSTED_ID_CONFLICT);
		}
		evidence.put("birthDate", birthDate(a.birthDate(), b.birthDate()));
		evidence.put("family", family(a.family(), b.family()));
		evidence.put("given", given(a.given(), b.given()));
		evidence.put("gender", both(a.gender(), b.gender(), LinkageRules.GENDER_SAME, LinkageRules.GENDER_DIFFERENT));
		evidence.put("postalCode",
				both(a.postalCode(), b.postalCode(), LinkageRules.POSTAL_SAME, LinkageRules.POSTAL_DIFFERENT));
		evidence.put("phone", both(a.phone(), b.phone(), LinkageRules.PHONE_SAME, 0));
		evidence.put("email", both(a.email(), b.email(), LinkageRules.EMAIL_SAME, 0));
		double score = evidence.values().stream().mapToDouble(Double::doubleValue).sum();
		return new Comparison(score, evidence, sharedTrusted && !evidence.containsKey("trustedIdentifier"));
	}

	/**
	 * How a comparison should be acted on under these rules.
	 */
	Decision decide(Comparison comparison) {
		if (comparison.deterministic()) {
			return Decision.LINK;
		}
		if (comparison.score() >= this.rules.autoLink()) {
			return Decision.LINK;
		}
		return (comparison.score() >= this.rules.review()) ? Decision.REVIEW : Decision.NO_MATCH;
	}

	private static boolean conflictingTrustedIdentifier(Demographics a, Demographics b) {
		for (String left : a.trustedIdentifiers()) {
			String system = left.substring(0, left.indexOf('|'));
			for (String right : b.trustedIdentifiers()) {
				if (right.startsWith(system + "|") && !right.equals(left)) {
					return true;
				}
			}
		}
		return false;
	}

	private static double birthDate(LocalDate a, LocalDate b) {
		if (a == null || b == null) {
			return 0;
		}
		if (a.equals(b)) {
			return LinkageRules.BIRTH_DATE_SAME;
		}
		boolean swapped = a.getYear() == b.getYear() && a.getMonthValue() == b.getDayOfMonth()
				&& a.getDayOfMonth() == b.getMonthValue();
		int differingParts = ((a.getYear() != b.getYear()) ? 1 : 0) + ((a.getMonthValue() != b.getMonthValue()) ? 1 : 0)
				+ ((a.getDayOfMonth() != b.getDayOfMonth()) ? 1 : 0);
		boolean oneDigit = differingParts == 1 && digitDistance(a.toString(), b.toString()) == 1;
		return (swapped || oneDigit) ? LinkageRules.BIRTH_DATE_TYPO : LinkageRules.BIRTH_DATE_DIFFERENT;
	}

	private static int digitDistance(String a, String b) {
		int distance = 0;
		for (int i = 0; i < Math.min(a.length(), b.length()); i++) {
			if (a.charAt(i) != b.charAt(i)) {
				distance++;
			}
		}
		return distance;
	}

	private static double family(List<String> a, List<String> b) {
		if (a.isEmpty() || b.isEmpty()) {
			return 0;
		}
		double best = LinkageRules.FAMILY_DIFFERENT;
		for (String left : a) {
			for (String right : b) {
				best = Math.max(best, nameAgreement(left, right, LinkageRules.FAMILY_SAME, LinkageRules.FAMILY_SIMILAR,
						LinkageRules.FAMILY_DIFFERENT));
			}
		}
		return best;
	}

	private static double given(List<String> a, List<String> b) {
		if (a.isEmpty() || b.isEmpty()) {
			return 0;
		}
		double best = LinkageRules.GIVEN_DIFFERENT;
		for (String left : a) {
			for (String right : b) {
				if (Nicknames.sameName(left, right)) {
					best = Math.max(best, LinkageRules.GIVEN_SAME);
				}
				best = Math.max(best, nameAgreement(left, right, LinkageRules.GIVEN_SAME, LinkageRules.GIVEN_SIMILAR,
						LinkageRules.GIVEN_DIFFERENT));
			}
		}
		return best;
	}

	private static double nameAgreement(String a, String b, double same, double similar, double different) {
		if (a.equals(b)) {
			return same;
		}
		if (JARO_WINKLER.apply(a, b) >= LinkageRules.NAME_SIMILARITY || METAPHONE.isDoubleMetaphoneEqual(a, b)) {
			return similar;
		}
		return different;
	}

	private static double both(String a, String b, double same, double different) {
		if (a == null || b == null) {
			return 0;
		}
		return a.equals(b) ? same : different;
	}

	/**
	 * The keys under which a record is filed and found as a candidate: records that share
	 * none are never compared. Several keys let a record be found despite an error in any
	 * one field.
	 */
	static Set<String> blockingKeys(Demographics d) {
		Set<String> keys = new LinkedHashSet<>();
		d.trustedIdentifiers().forEach((identifier) -> keys.add("id:" + identifier));
		String family = d.firstFamily();
		String given = d.firstGiven();
		if (d.birthDate() != null && given != null) {
			keys.add("dob-g:" + d.birthDate() + ":" + given.charAt(0));
		}
		for (String name : d.family()) {
			if (d.birthDate() != null) {
				keys.add("fam-y:" + METAPHONE.doubleMetaphone(name) + ":" + d.birthDate().getYear());
			}
			if (given != null) {
				keys.add("fam-giv:" + METAPHONE.doubleMetaphone(name) + ":" + METAPHONE.doubleMetaphone(given));
			}
		}
		if (family == null && d.birthDate() != null) {
			keys.add("dob:" + d.birthDate());
		}
		if (d.phone() != null) {
			keys.add("phone:" + d.phone());
		}
		if (d.email() != null) {
			keys.add("email:" + d.email());
		}
		return keys;
	}

	/**
	 * A pair's comparison.
	 *
	 * @param score the sum of the field weights
	 * @param evidence the weight each field contributed
	 * @param deterministic true when a shared trusted identifier decided
	 */
	record Comparison(double score, Map<String, Double> evidence, boolean deterministic) {
	}

	enum Decision {

		LINK, REVIEW, NO_MATCH

	}

	static List<String> sortedKeys(java.util.Collection<String> keys) {
		List<String> sorted = new ArrayList<>(keys);
		sorted.sort(null);
		return sorted;
	}

}
