package health.crosswalk.linkage;

/**
 * The weights and thresholds of probabilistic matching, as one versioned rule set. Each
 * weight is a log-likelihood ratio (in bits) of the field's agreement among records of
 * the same person against records of different people; a pair's score is their sum.
 *
 * @param version recorded with every decision made under these rules
 * @param autoLink score from which two records are linked without review
 * @param review score from which a pair is queued for a steward's review
 */
record LinkageRules(String version, double autoLink, double review) {

	static final LinkageRules DEFAULT = new LinkageRules("fs-2026.1", 17, 10);

	// Birth date: exact, a likely keying error (day and
	// month swapped, one digit), or not.
	static final double BIRTH_DATE_SAME = 8;

	static final double BIRTH_DATE_TYPO = 3;

	static final double BIRTH_DATE_DIFFERENT = -8;

	// Family name: a married or maiden name counts as
	// agreement when it is on either record.
	static final double FAMILY_SAME = 6;

	static final double FAMILY_SIMILAR = 4;

	static final double FAMILY_DIFFERENT = -3;

	// Given name: the strongest discriminator between relatives (twins share the rest).
	static final double GIVEN_SAME = 5;

	static final double GIVEN_SIMILAR = 3;

	static final double GIVEN_DIFFERENT = -10;

	static final double GENDER_SAME = 1;

	static final double GENDER_DIFFERENT = -8;

	// People move and change numbers: disagreement costs little.
	static final double POSTAL_SAME = 3;

	static final double POSTAL_DIFFERENT = -1;

	static final double PHONE_SAME = 4;

	static final double EMAIL_SAME = 5;

	// Two different values in the same trusted system (two national ids): two people.
	static final double TRUSTED_ID_CONFLICT = -30;

	// Jaro-Winkler similarity from which a name counts as the same with a typo.
	static final double NAME_SIMILARITY = 0.9;

	LinkageRules {
		if (review > autoLink) {
			throw new IllegalArgumentException("The review threshold must not exceed the auto-link threshold");
		}
	}

}
