package health.crosswalk.hospital;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import health.crosswalk.security.Role;

/**
 * The registry as the server's own tools (the import command) use it.
 *
 * <ul>
 * <li>Keys a tool holds for one run, to work through the server's APIs as a hospital
 * system or a data steward: issued with the narrowest scopes the run needs and a short
 * expiry the run keeps extending, revoked at its end, listed with every other key
 * ({@code key list}) and named by their label on the audit trail. A run killed before it
 * can revoke its key leaves it usable until the expiry at most.</li>
 * <li>Hospitals a migration brings: registered if absent, suspended as they were.</li>
 * </ul>
 */
public final class RegistryAccess {

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

	RegistryAccess(HospitalRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Issues a key that expires unless extended.
	 * @param hospitalSlug its hospital for a clinical role, null for a network role
	 * @param role its role
	 * @param scopes its SMART scopes (empty for roles without any)
	 * @param label what it is for, as key lists and the audit trail show it
	 * @param lifetime how long it works unless extended
	 * @return the key
	 */
	public Key issue(String hospitalSlug, Role role, String scopes, String label, Duration lifetime) {
		IssuedKey issued = this.registry.issueKey(hospitalSlug, role, label, scopes, Instant.now().plus(lifetime));
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
	 * Whether a key still works: known, not revoked and not expired.
	 * @param keyId its public id
	 * @return true if it does
	 */
	public boolean works(String keyId) {
		return this.registry.keyWorks(keyId);
	}

	/**
	 * Revokes a key at once.
	 * @param keyId its public id
	 */
	public void revoke(String keyId) {
		this.registry.revokeKey(keyId);
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
	 * Whether a hospital is registered and active (not suspended).
	 * @param slug its slug
	 * @return true if it is
	 */
	public boolean isActive(String slug) {
		return this.registry.find(slug).map((hospital) -> Hospital.ACTIVE.equals(hospital.status())).orElse(false);
	}

	/**
	 * Whether a hospital is registered.
	 * @param slug its slug
	 * @return true if it is
	 */
	public boolean exists(String slug) {
		return this.registry.find(slug).isPresent();
	}

	/**
	 * Registers a hospital, with no identifier systems yet.
	 * @param slug its slug
	 * @param name its name
	 * @param suspended whether it starts suspended
	 */
	public void register(String slug, String name, boolean suspended) {
		this.registry.register(slug, name, List.of());
		if (suspended) {
			this.registry.setStatus(slug, Hospital.SUSPENDED);
		}
	}

}
