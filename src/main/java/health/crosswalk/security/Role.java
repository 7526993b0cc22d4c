package health.crosswalk.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a caller may do in Crosswalk, whatever its credential.
 */
public enum Role {

	/** A hospital's EHR or integration engine: reads and writes its hospital's data. */
	HOSPITAL_SYSTEM("hospital-system", true),

	/**
	 * A clinician's app acting for a user: reads (and with scopes writes) its hospital's
	 * data.
	 */
	CLINICIAN("clinician", true),

	/** Reads AuditEvents of every hospital; nothing clinical. */
	AUDITOR("auditor", false),

	/** Registers hospitals and manages credentials; no clinical data. */
	ADMIN("admin", false),

	/**
	 * Reviews and decides patient links across hospitals; no clinical data through FHIR.
	 */
	STEWARD("steward", false),

	/** Scrapes the metrics ({@code /actuator/prometheus}); nothing else. */
	MONITOR("monitor", false),

	/**
	 * Exports every hospital's data with Bulk Data {@code $export} at the server's base
	 * (for a network's analytics or registry), polls its exports and reads their files;
	 * nothing else.
	 */
	NETWORK_EXPORTER("network-exporter", false);

	private final String code;

	private final boolean clinical;

	Role(String code, boolean clinical) {
		this.code = code;
		this.clinical = clinical;
	}

	/**
	 * The role's name in credentials, tokens and the admin API.
	 * @return the code, such as {@code hospital-system}
	 */
	public String code() {
		return this.code;
	}

	/**
	 * Whether the role works with a hospital's clinical data, and so must belong to a
	 * hospital.
	 * @return true for hospital-system and clinician
	 */
	public boolean isClinical() {
		return this.clinical;
	}

	/**
	 * The role with the given code.
	 * @param code a role code
	 * @return the role, if the code names one
	 */
	public static Optional<Role> fromCode(String code) {
		return Arrays.stream(values()).filter((role) -> role.code.equals(code)).findFirst();
	}

}
