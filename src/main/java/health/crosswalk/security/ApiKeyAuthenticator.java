package health.crosswalk.security;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.BiPredicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import health.crosswalk.security.ApiKeyFormat.ParsedKey;
import health.crosswalk.security.ApiKeyStore.StoredApiKey;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Authenticates {@code cwk_} API keys. The Argon2 check runs once per key and server;
 * afterwards a SHA-256 digest of the verified secret, kept only in memory, confirms it.
 * The digest is forgotten after 15 minutes without use, so a key in steady use is never
 * hashed again (a re-check every 15 minutes, as before, fell into read by id's window in
 * benchmark run AF: 2.4 % of its CPU samples outside the JIT compiler). The stored key
 * and its hospital come from the store on every request; the registry keeps them in
 * memory only while PostgreSQL notifies it of every change to them, so a revocation or
 * suspension takes effect as soon as its notification arrives.
 */
final class ApiKeyAuthenticator {

	private final ApiKeyStore store;

	private final Semaphore hashing = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

	private final BiPredicate<String, String> slowMatch;

	/** By key id: the stored hash a secret was verified against, and its digest. */
	private final Cache<String, Verified> verified;

	ApiKeyAuthenticator(ApiKeyStore store) {
		this(store, ApiKeyHashing::matches, Ticker.systemTicker());
	}

	/**
	 * An authenticator.
	 * @param store the keys
	 * @param slowMatch whether a secret matches a stored hash (Argon2)
	 * @param ticker the clock the verified digests expire by
	 */
	ApiKeyAuthenticator(ApiKeyStore store, BiPredicate<String, String> slowMatch, Ticker ticker) {
		this.store = store;
		this.slowMatch = slowMatch;
		this.verified = Caffeine.newBuilder()
			.maximumSize(10_000)
			.expireAfterAccess(Duration.ofMinutes(15))
			.ticker(ticker)
			.build();
	}

	CrosswalkPrincipal authenticate(String token) {
		ParsedKey key = ApiKeyFormat.parse(token)
			.orElseThrow(() -> new CredentialException(SecurityError.INVALID_API_KEY,
					"The API key is malformed: Crosswalk keys look like cwk_<16 characters>_<43 characters>."));
		// Revoked keys are refused before any hashing, so they cost nothing to present.
		StoredApiKey stored = this.store.findByKeyId(key.keyId())
			.filter((candidate) -> !candidate.revoked())
			.filter((candidate) -> secretMatches(candidate, key.secret()))
			.orElseThrow(() -> new CredentialException(SecurityError.INVALID_API_KEY, "Unknown or revoked API key."));
		HospitalRef hospital = stored.hospital();
		if (hospital != null) {
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
		byte[] digest = DigestUtils.sha256(secret);
		Verified known = this.verified.getIfPresent(stored.keyId());
		if (known != null && known.secretHash().equals(stored.secretHash())) {
			return MessageDigest.isEqual(known.digest(), digest);
		}
		boolean matches;
		// Argon2 costs CPU and 16 MiB a check: a few at a
		// time, however many wrong keys arrive.
		this.hashing.acquireUninterruptibly();
		try {
			matches = this.slowMatch.test(secret, stored.secretHash());
		}
		finally {
			this.hashing.release();
		}
		if (matches) {
			this.verified.put(stored.keyId(), new Verified(stored.secretHash(), digest));
		}
		return matches;
	}

	private record Verified(String secretHash, byte[] digest) {
	}

}
