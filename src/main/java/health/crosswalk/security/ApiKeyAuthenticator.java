package health.crosswalk.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.crosswalk.security.ApiKeyFormat.ParsedKey;
import health.crosswalk.security.ApiKeyStore.StoredApiKey;

/**
 * Authenticates {@code cwk_} API keys. The Argon2 check runs once per key and server;
 * afterwards a SHA-256 digest of the verified secret, kept only in memory, confirms it.
 * The stored key is read on every request, so revocation and suspension take effect at
 * once.
 */
final class ApiKeyAuthenticator {

	private final ApiKeyStore store;

	private final HospitalDirectory hospitals;

	private final Cache<String, byte[]> verified = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(15))
		.build();

	ApiKeyAuthenticator(ApiKeyStore store, HospitalDirectory hospitals) {
		this.store = store;
		this.hospitals = hospitals;
	}

	CrosswalkPrincipal authenticate(String token) {
		ParsedKey key = ApiKeyFormat.parse(token)
			.orElseThrow(() -> new CredentialException(SecurityError.INVALID_API_KEY,
					"The API key is malformed: Crosswalk keys look like cwk_<16 characters>_<43 characters>."));
		StoredApiKey stored = this.store.findByKeyId(key.keyId())
			.filter((candidate) -> secretMatches(candidate, key.secret()))
			.orElseThrow(() -> new CredentialException(SecurityError.INVALID_API_KEY, "Unknown API key."));
		if (stored.revoked()) {
			throw new CredentialException(SecurityError.INVALID_API_KEY, "The API key was revoked.");
		}
		HospitalRef hospital = null;
		if (stored.hospitalSlug() != null) {
			hospital = this.hospitals.findBySlug(stored.hospitalSlug())
				.orElseThrow(() -> new CredentialException(SecurityError.INVALID_API_KEY, "Unknown API key."));
			if (!hospital.active()) {
				throw new CredentialException(SecurityError.HOSPITAL_SUSPENDED,
						"Hospital '" + hospital.slug() + "' is suspended.");
			}
		}
		this.store.recordUse(stored.keyId());
		return new CrosswalkPrincipal(stored.keyId(), stored.role(), hospital, SmartScopes.parse(stored.scopes()),
				"api-key");
	}

	private boolean secretMatches(StoredApiKey stored, String secret) {
		String cacheKey = stored.keyId() + ' ' + stored.secretHash();
		byte[] digest = sha256(secret);
		byte[] known = this.verified.getIfPresent(cacheKey);
		if (known != null) {
			return MessageDigest.isEqual(known, digest);
		}
		if (ApiKeyHashing.matches(secret, stored.secretHash())) {
			this.verified.put(cacheKey, digest);
			return true;
		}
		return false;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
		}
	}

}
