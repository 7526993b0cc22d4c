package health.crosswalk.hospital;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import health.crosswalk.security.Role;

/**
 * Keys the server's own tools hold for a while (an import run writing through the FHIR
 * API as a hospital system): issued for one run with create and update scopes only and a
 * short expiry the run keeps extending, revoked at its end, listed with every other key
 * ({@code key list}) and named by their label on the audit trail. A run killed before it
 * can revoke its key leaves it usable until the expiry at most.
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

	/** What a tool's key may do: create and update, on every type. */
	static final String SCOPES = "system/*.cu";

	/**
	 * Issues a hospital-system key that creates and updates.
	 * @param hospitalSlug the hospital (must be active)
	 * @param label what it is for, as key lists and the audit trail show it
	 * @param lifetime how long it works unless extended
	 * @return the key
	 */
	public Key issue(String hospitalSlug, String label, Duration lifetime) {
		IssuedKey issued = this.registry.issueKey(hospitalSlug, Role.HOSPITAL_SYSTEM, label, SCOPES,
				Instant.now().plus(lifetime));
		return new Key(issued.info().keyId(), issued.key());
	}

	/**
	 * Keeps a key working for another lifetime from now.
	 * @param keyId its public id
	 * @param lifetime how long from now
	 * @return false if the key is revoked or expired already
	 */
	public boolean extend(String keyId, Duration lifetime) {
		return this.registry.extendKey(keyId, Instant.now().plus(lifetime));
	}

	/**
	 * The identifier systems (MRN namespaces) a hospital owns.
	 * @param hospitalSlug the hospital
	 * @return its systems, in the order registered
	 */
	public List<String> identifierSystems(String hospitalSlug) {
		return List.copyOf(this.registry.require(hospitalSlug).identifierSystems());
	}

	/**
	 * Revokes a key at once.
	 * @param keyId its public id
	 */
	public void revoke(String keyId) {
		this.registry.revokeKey(keyId);
	}

}
