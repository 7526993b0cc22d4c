package health.crosswalk.fairshare;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of the server one hospital may hold at once ({@code crosswalk.fair-share.*}).
 *
 * @param maxConcurrentRequests the most FHIR requests of one hospital running at once
 * (network roles without a hospital share one lane, unauthenticated callers another)
 * @param maxQueuedRequests the most requests of one hospital waiting for a turn; beyond
 * them a request is refused 429 at once
 * @param queueTimeout the longest a request waits for its turn before it is refused 429;
 * also the {@code Retry-After} the refusal names, in whole seconds
 */
@ConfigurationProperties("crosswalk.fair-share")
record FairShareProperties(@DefaultValue("4") int maxConcurrentRequests, @DefaultValue("16") int maxQueuedRequests,
		@DefaultValue("5s") Duration queueTimeout) {

	FairShareProperties {
		if (maxConcurrentRequests < 1) {
			throw new IllegalArgumentException("crosswalk.fair-share.max-concurrent-requests "
					+ "(CROSSWALK_FAIR_SHARE_MAX_CONCURRENT_REQUESTS) must be at least 1, but was "
					+ maxConcurrentRequests);
		}
		if (maxQueuedRequests < 0) {
			throw new IllegalArgumentException("crosswalk.fair-share.max-queued-requests "
					+ "(CROSSWALK_FAIR_SHARE_MAX_QUEUED_REQUESTS) must be 0 or more, but was " + maxQueuedRequests);
		}
		if (queueTimeout.isNegative() || queueTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException("crosswalk.fair-share.queue-timeout "
					+ "(CROSSWALK_FAIR_SHARE_QUEUE_TIMEOUT) must be between 0s and 1m, but was " + queueTimeout);
		}
	}

	long retryAfterSeconds() {
		return Math.max(1, (this.queueTimeout.toMillis() + 999) / 1000);
	}

}
