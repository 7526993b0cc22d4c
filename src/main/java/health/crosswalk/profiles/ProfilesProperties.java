package health.crosswalk.profiles;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Profile enforcement ({@code crosswalk.profiles.*}).
 *
 * @param enforce refuse writes that do not conform; {@code false} only to measure what
 * validation costs (the benchmark's on/off comparison), never in production
 * @param compiledCheck let the compiled check of the profiles accept the writes it is
 * sure the full validator accepts, and send only the others to the full validator;
 * {@code false}: every write goes to the full validator
 * @param fullCheckEvery of the writes the compiled check accepts, validate every this
 * many in full as well and log any disagreement (the full validator's verdict applies);
 * 0: none
 */
@ConfigurationProperties("crosswalk.profiles")
record ProfilesProperties(@DefaultValue("true") boolean enforce, @DefaultValue("true") boolean compiledCheck,
		@DefaultValue("100") int fullCheckEvery) {

	ProfilesProperties {
		if (fullCheckEvery < 0) {
			throw new IllegalArgumentException(
					"crosswalk.profiles.full-check-every must be 0 or more, not " + fullCheckEvery);
		}
	}

}
