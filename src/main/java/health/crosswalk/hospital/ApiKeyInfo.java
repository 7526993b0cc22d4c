package health.crosswalk.hospital;

import java.time.Instant;

/**
 * An issued API key, without its secret.
 *
 * @param keyId public id, the part after {@code cwk_}
 * @param hospital slug of the hospital it acts for; null for network keys
 * @param role the role it grants
 * @param scopes the SMART scopes it grants
 * @param label what it is for
 * @param createdAt when it was issued
 * @param lastUsedAt when it was last used (to the minute), or null
 * @param revokedAt when it was revoked, or null
 * @param expiresAt when it stops working, or null for a key that works until revoked
 */
record ApiKeyInfo(String keyId, String hospital, String role, String scopes, String label, Instant createdAt,
		Instant lastUsedAt, Instant revokedAt, Instant expiresAt) {
}
