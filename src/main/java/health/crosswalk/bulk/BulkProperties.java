package health.crosswalk.bulk;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * FHIR Bulk Data ({@code crosswalk.bulk.*}).
 *
 * @param enabled offer {@code $export} (system, {@code Patient} and {@code Group/[id]})
 * and {@code $export-poll-status}
 * @param fileMaxResources resources per NDJSON file of an export
 * @param fileRetention how long an export's status, manifest and files stay readable
 * after it completes, in whole hours; then its files are removed
 * @param maxRunning exports one requester may have queued or running at once; one more is
 * refused (429)
 * @param jobStepInterval how often HAPI's Batch2 maintenance moves jobs (exports among
 * them) on to their next step; each step of an export waits up to this long
 */
@ConfigurationProperties("crosswalk.bulk")
record BulkProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1000") int fileMaxResources,
		@DefaultValue("2h") Duration fileRetention, @DefaultValue("2") int maxRunning,
		@DefaultValue("5s") Duration jobStepInterval) {

	BulkProperties {
		if (fileMaxResources < 1) {
			throw new IllegalArgumentException(
					"crosswalk.bulk.file-max-resources must be at least 1, not " + fileMaxResources + ".");
		}
		if (maxRunning < 1) {
			throw new IllegalArgumentException(
					"crosswalk.bulk.max-running must be at least 1, not " + maxRunning + ".");
		}
		if (jobStepInterval.toMillis() < 100) {
			throw new IllegalArgumentException(
					"crosswalk.bulk.job-step-interval must be at least 100ms, not " + jobStepInterval + ".");
		}
		if (fileRetention.toHours() < 1 || !fileRetention.equals(Duration.ofHours(fileRetention.toHours()))) {
			throw new IllegalArgumentException(
					"crosswalk.bulk.file-retention must be a whole number of hours, at least 1h, not " + fileRetention
							+ ".");
		}
	}

}
