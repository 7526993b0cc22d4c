package health.crosswalk.hospital;

import health.crosswalk.security.Role;

/**
 * Keys the server's own tools hold for a while (an import run writing through the FHIR
 * API as a hospital system): issued for one run, revoked at its end, listed with every
 * other key ({@code key list}) and named by their label on the audit trail.
 */
public final class ServiceKeys {

	/**
	 * A key issued to a tool.
	 *
	 * @param keyId its public id, as the audit trail names it
	 * @param secret the bearer value
	 */
	public record Key(String keyId, String secret) {

		@Override
		public String toString() {
			return "Key[" + this.keyId + "]";
		}

	}

	private final HospitalRegistry registry;

	ServiceKeys(HospitalRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Issues a hospital-system key.
	 * @param hospitalSlug the hospital (must be active)
	 * @param label what it is for, as key lists and the audit trail show it
	 * @return the key
	 */
	public Key issue(String hospitalSlug, String label) {
		IssuedKey issued = this.registry.issueKey(hospitalSlug, Role.HOSPITAL_SYSTEM, label);
		return new Key(issued.info().keyId(), issued.key());
	}

	/**
	 * Revokes a key at once.
	 * @param keyId its public id
	 */
	public void revoke(String keyId) {
		this.registry.revokeKey(keyId);
	}

}
