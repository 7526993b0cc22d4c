package health.crosswalk.hospital;

import java.time.Instant;
import java.util.List;

/**
 * A registered hospital.
 *
 * @param slug stable name, used in credentials and tokens
 * @param name display name
 * @param status {@code active} or {@code suspended}
 * @param partitionId the HAPI partition holding its data
 * @param organizationId id of the Organization mirroring it, in its partition
 * @param identifierSystems the identifier systems (MRN namespaces) it owns
 * @param createdAt when it was registered
 */
record Hospital(String slug, String name, String status, int partitionId, String organizationId,
		List<String> identifierSystems, Instant createdAt) {

	static final String ACTIVE = "active";

	static final String SUSPENDED = "suspended";

	boolean isActive() {
		return ACTIVE.equals(this.status);
	}

}
