package health.crosswalk.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit trail ({@code crosswalk.audit.*}).
 *
 * @param enabled record every interaction; {@code false} only to measure what auditing
 * costs (the benchmark's on/off comparison), never in production
 * @param hmacKey when set, the hash chain is keyed (HMAC-SHA-256) with this secret of at
 * least 32 characters, so that nobody without it can rebuild the chain after changing a
 * record; unset, the chain is plain SHA-256
 * @param sealInterval how often the sealer adds newly committed records to the hash chain
 * @param commitTimeout how long a request waits for its audit record to be committed
 * before it is answered 503 instead
 * @param queueCapacity records waiting for the group commit beyond which requests are
 * answered 503 at once
 * @param sourceId how this server names itself in {@code AuditEvent.source} and the
 * server agent; the host name when unset
 * @param archive what {@code java -jar crosswalk.jar audit archive} moves out of the
 * database
 */
@ConfigurationProperties("crosswalk.audit")
record AuditProperties(@DefaultValue("true") boolean enabled, String hmacKey, @DefaultValue("1s") Duration sealInterval,
		@DefaultValue("10s") Duration commitTimeout, @DefaultValue("10000") int queueCapacity, String sourceId,
		@DefaultValue Archive archive) {

	static final int MIN_KEY_LENGTH = 32;

	AuditProperties {
		if (hmacKey != null && hmacKey.isBlank()) {
			hmacKey = null;
		}
		if (hmacKey != null && hmacKey.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_LENGTH) {
			throw new IllegalArgumentException("crosswalk.audit.hmac-key must be at least " + MIN_KEY_LENGTH
					+ " characters; generate one with: openssl rand -base64 48");
		}
		if (sealInterval.isNegative() || sealInterval.isZero() || commitTimeout.isNegative()
				|| commitTimeout.isZero()) {
			throw new IllegalArgumentException("crosswalk.audit.seal-interval and commit-timeout must be positive");
		}
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("crosswalk.audit.queue-capacity must be at least 1");
		}
	}

	/**
	 * The archive of old months.
	 *
	 * @param keepMonths whole months kept in the database before the current one; older
	 * months go to files (at least 1)
	 * @param dir the folder the files are written to
	 */
	record Archive(@DefaultValue("72") int keepMonths, @DefaultValue("audit-archive") java.nio.file.Path dir) {

		Archive {
			if (keepMonths < 1) {
				throw new IllegalArgumentException(
						"crosswalk.audit.archive.keep-months must be at least 1, but was " + keepMonths);
			}
		}

	}

}
