package health.crosswalk.results;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Search results kept in memory ({@code crosswalk.results.*}).
 *
 * @param size how much each server keeps of the answers of searches until a write to what
 * they read commits: a count weighs one, a page of results one and one per result; 0
 * keeps none
 */
@ConfigurationProperties("crosswalk.results")
record ResultsProperties(@DefaultValue("100000") long size) {

	ResultsProperties {
		if (size < 0) {
			throw new IllegalArgumentException("crosswalk.results.size must be 0 (off) or more, but was " + size);
		}
	}

}
