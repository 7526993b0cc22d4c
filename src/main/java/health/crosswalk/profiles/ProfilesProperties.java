package health.crosswalk.profiles;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Profile enforcement ({@code crosswalk.profiles.*}).
 *
 * @param enforce refuse writes that do not conform; {@code false} only to measure what
 * validation costs (the benchmark's on/off comparison), never in production
 */
@ConfigurationProperties("crosswalk.profiles")
record ProfilesProperties(@DefaultValue("true") boolean enforce) {
}
