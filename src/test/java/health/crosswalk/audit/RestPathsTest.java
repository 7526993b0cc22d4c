package health.crosswalk.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestPathsTest {

	@Test
	void tellsTheInteractionFromMethodAndPath() {
		assertThat(RestPaths.infer("GET", "Patient/1"))
			.isEqualTo(new RestPaths.Inferred("read", "Patient", "Patient/1", null));
		assertThat(RestPaths.infer("GET", "Patient/1/_history/2").interaction()).isEqualTo("vread");
		assertThat(RestPaths.infer("GET", "Patient/1/_history").interaction()).isEqualTo("history-instance");
		assertThat(RestPaths.infer("GET", "Patient/_history").interaction()).isEqualTo("history-type");
		assertThat(RestPaths.infer("GET", "Patient").interaction()).isEqualTo("search-type");
		assertThat(RestPaths.infer("POST", "Patient/_search").interaction()).isEqualTo("search-type");
		assertThat(RestPaths.infer("POST", "Patient").interaction()).isEqualTo("create");
		assertThat(RestPaths.infer("PUT", "Patient/1").interaction()).isEqualTo("update");
		assertThat(RestPaths.infer("PATCH", "Patient/1").interaction()).isEqualTo("patch");
		assertThat(RestPaths.infer("DELETE", "Patient/1").interaction()).isEqualTo("delete");
		assertThat(RestPaths.infer("POST", "").interaction()).isEqualTo("transaction");
		assertThat(RestPaths.infer("GET", "Patient/1/$everything"))
			.isEqualTo(new RestPaths.Inferred("operation", "Patient", "Patient/1", "$everything"));
		assertThat(RestPaths.infer("GET", "Patient/$ihe-pix").operation()).isEqualTo("$ihe-pix");
		assertThat(RestPaths.infer("GET", "$meta").operation()).isEqualTo("$meta");
		assertThat(RestPaths.infer("GET", "metadata").interaction()).isEqualTo("capabilities");
	}

	@Test
	void actionsFollowBalp() {
		assertThat(AuditFacts.actionOf("create")).isEqualTo('C');
		assertThat(AuditFacts.actionOf("vread")).isEqualTo('R');
		assertThat(AuditFacts.actionOf("patch")).isEqualTo('U');
		assertThat(AuditFacts.actionOf("delete")).isEqualTo('D');
		assertThat(AuditFacts.actionOf("search-type")).isEqualTo('E');
		assertThat(AuditFacts.actionOf("operation")).isEqualTo('E');
	}

	@Test
	void auditEventWritesAreToldFromReadsAndOperations() {
		assertThat(AuditWrites.isWrite("POST", "/AuditEvent")).isTrue();
		assertThat(AuditWrites.isWrite("PUT", "/AuditEvent/1")).isTrue();
		assertThat(AuditWrites.isWrite("PATCH", "/AuditEvent/1")).isTrue();
		assertThat(AuditWrites.isWrite("DELETE", "/AuditEvent")).isTrue();
		assertThat(AuditWrites.isWrite("GET", "/AuditEvent/1")).isFalse();
		assertThat(AuditWrites.isWrite("POST", "/AuditEvent/_search")).isFalse();
		assertThat(AuditWrites.isWrite("POST", "/AuditEvent/$verify")).isFalse();
		assertThat(AuditWrites.isWrite("POST", "/Patient")).isFalse();
	}

	@Test
	void administrativeRoutesNameTheirIds() {
		assertThat(Interactions.adminRoute("/admin/hospitals")).isEqualTo("/admin/hospitals");
		assertThat(Interactions.adminRoute("/admin/hospitals/general/keys")).isEqualTo("/admin/hospitals/{slug}/keys");
		assertThat(Interactions.adminRoute("/admin/keys/abc")).isEqualTo("/admin/keys/{keyId}");
		assertThat(Interactions.adminRoute("/admin/linkage/reviews/7/link"))
			.isEqualTo("/admin/linkage/reviews/{id}/link");
		assertThat(Interactions.adminRoute("/admin/linkage/records/general/p1/unlink"))
			.isEqualTo("/admin/linkage/records/{hospital}/{patientId}/unlink");
	}

}
