package health.crosswalk.hospital;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static health.crosswalk.FhirHttp.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator registers a hospital and manages its keys through /admin; the
 * hospital's EHR then works with its key, alone in its partition.
 */
class AdminApiIT extends CrosswalkIntegrationTest {

	private static final String JSON = "application/json";

	private final ObjectMapper json = new ObjectMapper();

	private FhirHttp http;

	private String admin;

	@BeforeEach
	void admin() {
		this.http = new FhirHttp(serverUrl());
		this.admin = TestHospitals.networkKey(context(), Role.ADMIN);
	}

	@Test
	void registerIssueUseAndRevoke() throws Exception {
		String slug = "adm-" + UUID.randomUUID().toString().substring(0, 8);
		String system = "urn:test:" + slug + ":mrn";
		HttpResponse<String> created = this.http.send("POST", "/admin/hospitals", this.admin, JSON,
				"{\"slug\":\"" + slug + "\",\"name\":\"St Test\",\"identifierSystems\":[\"" + system + "\"]}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Map<String, Object> hospital = read(created);
		assertThat(hospital).containsEntry("slug", slug).containsEntry("status", "active");
		assertThat(hospital.get("identifierSystems")).isEqualTo(List.of(system));

		HttpResponse<String> issued = this.http.send("POST", "/admin/hospitals/" + slug + "/keys", this.admin, JSON,
				"{\"label\":\"EHR feed\"}");
		assertThat(issued.statusCode()).isEqualTo(201);
		String key = (String) read(issued).get("key");
		assertThat(key).startsWith("cwk_");
		String keyId = key.substring(4, 20);
		String secret = key.substring(21);

		HttpResponse<String> patient = this.http.send("POST", "/fhir/Patient", key, "application/fhir+json",
				CoreResources.patientJson("Admin", "").replace(CoreResources.IDENTIFIER_SYSTEM, system));
		assertThat(patient.statusCode()).as(patient.body()).isEqualTo(201);
		Organization organization = client(key).read()
			.resource(Organization.class)
			.withId((String) hospital.get("organizationId"))
			.execute();
		assertThat(organization.getName()).isEqualTo("St Test");
		assertThat(organization.getIdentifierFirstRep().getValue()).isEqualTo(slug);

		HttpResponse<String> listed = this.http.get("/admin/hospitals/" + slug + "/keys", this.admin);
		assertThat(listed.body()).contains(keyId).doesNotContain(secret);
		Map<String, Object> stored = context().getBean(JdbcTemplate.class)
			.queryForMap("SELECT secret_hash, hash_algorithm, last_used_at FROM crosswalk.api_key WHERE key_id = ?",
					keyId);
		assertThat((String) stored.get("secret_hash")).startsWith("{argon2}$argon2id$").doesNotContain(secret);
		assertThat(stored).containsEntry("hash_algorithm", "argon2id");
		assertThat(stored.get("last_used_at")).as("use is recorded").isNotNull();

		assertThat(this.http.send("DELETE", "/admin/keys/" + keyId, this.admin, null, null).statusCode())
			.isEqualTo(200);
		assertOutcome(this.http.get("/fhir/Patient", key), 401, "CW-AUTH-003");
	}

	@Test
	void refusalsSayWhatToFix() {
		String slug = hospital().slug();
		assertOutcome(this.http.send("POST", "/admin/hospitals", this.admin, JSON,
				"{\"slug\":\"" + slug + "\",\"name\":\"Again\"}"), 409, "CW-HOSP-002");
		assertOutcome(this.http.send("POST", "/admin/hospitals", this.admin, JSON,
				"{\"slug\":\"Not A Slug\",\"name\":\"Bad\"}"), 400, "CW-HOSP-001");
		assertOutcome(
				this.http
					.send("POST", "/admin/hospitals", this.admin, JSON,
							"{\"slug\":\"x-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"name\":\"Thief\","
									+ "\"identifierSystems\":[\"" + hospital().mrnSystem() + "\"]}"),
				409, "CW-HOSP-003");
		assertOutcome(this.http.send("POST", "/admin/hospitals", this.admin, JSON, "{not json"), 400, "CW-HOSP-001");
		// Quoted whole, it overflowed the audit's reading of the refusal: a 500.
		assertThat(assertOutcome(this.http.send("POST", "/admin/hospitals", this.admin, JSON,
				"{\"slug\":\"" + "a".repeat(10_000) + "\",\"name\":\"Long\"}"), 400, "CW-HOSP-001")
			.getIssueFirstRep()
			.getDiagnostics()).hasSizeLessThan(200);
		assertOutcome(this.http.get("/admin/hospitals/no-such-hospital", this.admin), 404, "CW-HOSP-004");
		assertOutcome(
				this.http.send("POST", "/admin/hospitals", this.admin, JSON, "{\"slug\":\"nul-"
						+ UUID.randomUUID().toString().substring(0, 8) + "\",\"name\":\"Nul\\u0000Byte\"}"),
				400, "CW-HOSP-001");
		assertOutcome(this.http.send("DELETE", "/admin/keys/nosuchkey0000000", this.admin, null, null), 404,
				"CW-HOSP-005");
		assertOutcome(this.http.send("POST", "/admin/keys", this.admin, JSON, "{\"role\":\"hospital-system\"}"), 400,
				"CW-HOSP-006");
		assertOutcome(this.http.send("POST", "/admin/hospitals/" + slug + "/keys", this.admin, JSON,
				"{\"role\":\"superuser\"}"), 400, "CW-HOSP-006");
	}

	@Test
	void failedRegistrationLeavesNothingBehind() {
		String slug = "half-" + UUID.randomUUID().toString().substring(0, 8);
		assertOutcome(this.http.send("POST", "/admin/hospitals", this.admin, JSON,
				"{\"slug\":\"" + slug + "\",\"name\":\"Half\",\"identifierSystems\":[\"urn:test:" + slug + "\",\""
						+ hospital().mrnSystem() + "\"]}"),
				409, "CW-HOSP-003");
		assertOutcome(this.http.get("/admin/hospitals/" + slug, this.admin), 404, "CW-HOSP-004");
		Integer partitions = context().getBean(JdbcTemplate.class)
			.queryForObject("SELECT count(*) FROM hfj_partition WHERE part_name = ?", Integer.class, slug);
		assertThat(partitions).isZero();
	}

	private Map<String, Object> read(HttpResponse<String> response) throws Exception {
		return this.json.readValue(response.body(), new TypeReference<>() {
		});
	}

}
