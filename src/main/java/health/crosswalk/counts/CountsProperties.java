package health.crosswalk.counts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Counts kept in memory ({@code crosswalk.counts.*}).
 *
 * @param size the most answers of count-only searches each server keeps until a write to
 * what they count commits; 0 keeps none
 */
@ConfigurationProperties("crosswalk.counts")
record CountsProperties(@DefaultValue("10000") long size) {

	CountsProperties {
		if (size < 0) {
			throw new IllegalArgumentException("crosswalk.counts.size must be 0 (off) or more, but was " + size);
		}
	}

}
