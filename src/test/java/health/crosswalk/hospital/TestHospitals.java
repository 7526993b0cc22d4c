package health.crosswalk.hospital;

import java.util.List;
import java.util.UUID;

import health.crosswalk.security.Role;

import org.springframework.context.ApplicationContext;

/**
 * Registers hospitals and issues keys for integration tests, straight through the
 * registry of the running server.
 */
public final class TestHospitals {

	private TestHospitals() {
	}

	/**
	 * A new hospital owning one fresh MRN system, with a hospital-system key.
	 * @param context the server's application context
	 * @return the hospital and its key
	 */
	public static TestHospital register(ApplicationContext context) {
		HospitalRegistry registry = context.getBean(HospitalRegistry.class);
		String slug = "t-" + UUID.randomUUID().toString().substring(0, 13);
		String mrnSystem = "urn:test:" + slug + ":mrn";
		Hospital hospital = registry.register(slug, "Test hospital " + slug, List.of(mrnSystem));
		String key = registry.issueKey(slug, Role.HOSPITAL_SYSTEM, "integration test").key();
		return new TestHospital(slug, mrnSystem, key, hospital.partitionId(), hospital.organizationId());
	}

	/**
	 * A new network key (auditor or admin).
	 * @param context the server's application context
	 * @param role auditor or admin
	 * @return the key
	 */
	public static String networkKey(ApplicationContext context, Role role) {
		return context.getBean(HospitalRegistry.class).issueKey(null, role, "integration test").key();
	}

	/**
	 * A new key for an existing hospital.
	 * @param context the server's application context
	 * @param slug the hospital
	 * @param role hospital-system or clinician
	 * @return the key
	 */
	public static String hospitalKey(ApplicationContext context, String slug, Role role) {
		return context.getBean(HospitalRegistry.class).issueKey(slug, role, "integration test").key();
	}

	/**
	 * A registered test hospital.
	 *
	 * @param slug its slug
	 * @param mrnSystem the identifier system it owns
	 * @param key a hospital-system API key
	 * @param partitionId its partition
	 * @param organizationId its Organization
	 */
	public record TestHospital(String slug, String mrnSystem, String key, int partitionId, String organizationId) {
	}

}
