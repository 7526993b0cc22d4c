package health.crosswalk.security;

import java.util.Optional;

/**
 * Where API keys are kept (hashed); implemented by the hospital registry.
 */
public interface ApiKeyStore {

	/**
	 * The key with this public id.
	 * @param keyId the id part of a presented key
	 * @return the stored key, if it exists
	 */
	Optional<StoredApiKey> findByKeyId(String keyId);

	/**
	 * Notes that the key was just used (the store may coalesce frequent calls).
	 * @param keyId the key's id
	 */
	void recordUse(String keyId);

	/**
	 * A stored API key.
	 *
	 * @param keyId public id, part of the key
	 * @param secretHash hash of the secret part, with its algorithm prefix
	 * @param role the role the key grants
	 * @param scopes SMART scopes the key grants, space-separated
	 * @param hospital the hospital the key acts for, as stored now (read with the key, so
	 * that a suspension takes effect with the key's next read); null for auditor and
	 * admin keys
	 * @param revoked whether the key was revoked
	 */
	record StoredApiKey(String keyId, String secretHash, Role role, String scopes, HospitalRef hospital,
			boolean revoked) {
	}

}
