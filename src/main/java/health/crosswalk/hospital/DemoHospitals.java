package health.crosswalk.hospital;

import java.io.PrintStream;
import java.util.List;

import health.crosswalk.security.Role;

/**
 * On a development database's first start, registers two demo hospitals and prints
 * dev-only keys for them, an auditor and an administrator, once, to the console (not to
 * the log).
 */
final class DemoHospitals {

	private final HospitalRegistry registry;

	DemoHospitals(HospitalRegistry registry) {
		this.registry = registry;
	}

	void createIfEmpty(PrintStream console) {
		if (!this.registry.list().isEmpty()) {
			return;
		}
		this.registry.register("demo-general", "Demo General Hospital", List.of("urn:crosswalk:demo-general:mrn"));
		this.registry.register("demo-riverside", "Demo Riverside Hospital",
				List.of("urn:crosswalk:demo-riverside:mrn"));
		List<IssuedKey> keys = List.of(
				this.registry.issueKey("demo-general", Role.HOSPITAL_SYSTEM, "demo EHR (dev only)"),
				this.registry.issueKey("demo-riverside", Role.HOSPITAL_SYSTEM, "demo EHR (dev only)"),
				this.registry.issueKey(null, Role.AUDITOR, "demo auditor (dev only)"),
				this.registry.issueKey(null, Role.ADMIN, "demo administrator (dev only)"));
		StringBuilder text = new StringBuilder();
		text.append("\n==================== DEV ONLY: demo credentials, shown once ====================\n");
		for (IssuedKey key : keys) {
			String who = (key.info().hospital() != null) ? key.info().hospital() : "network";
			text.append(String.format("  %-15s %-16s %s%n", who, key.info().role(), key.key()));
		}
		text.append("  Use as: curl -H 'Authorization: Bearer <key>' http://localhost:8080/fhir/Patient\n");
		text.append("  Never use these on real data; revoke them with DELETE /admin/keys/<key id>.\n");
		text.append("=================================================================================\n");
		console.print(text);
		console.flush();
	}

}
