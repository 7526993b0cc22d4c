package health.crosswalk.server;

import java.util.Map;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators and clients see of the running server: the CapabilityStatement, health
 * and build information.
 */
class OperationsIT extends CrosswalkIntegrationTest {

	@Autowired
	private TestRestTemplate rest;

	@Autowired
	private BuildProperties build;

	@Test
	void capabilityStatementNamesCrosswalkAndItsVersion() {
		CapabilityStatement capabilities = client().capabilities().ofType(CapabilityStatement.class).execute();

		assertThat(capabilities.getSoftware().getName()).isEqualTo("Crosswalk");
		assertThat(capabilities.getSoftware().getVersion()).isEqualTo(this.build.getVersion());
		assertThat(capabilities.getFhirVersion()).isEqualTo(FHIRVersion._4_0_1);
		assertThat(capabilities.getRestFirstRep().getResource())
			.extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
			.contains("Patient", "Observation", "MedicationRequest", "Appointment", "AuditEvent", "Organization",
					"Practitioner");
		assertThat(capabilities.getRestFirstRep().getResource())
			.allSatisfy((resource) -> assertThat(resource.getExtension())
				.noneMatch((extension) -> extension.getUrl().endsWith("resourceCount")));
	}

	@Test
	void requestIdIsTakenFromTheClientOrGenerated() {
		HttpHeaders headers = new HttpHeaders();
		headers.set("X-Request-ID", "trace-4711");
		ResponseEntity<String> traced = this.rest.exchange("/fhir/metadata", HttpMethod.GET, new HttpEntity<>(headers),
				String.class);
		assertThat(traced.getHeaders().getFirst("X-Request-ID")).isEqualTo("trace-4711");

		ResponseEntity<String> untraced = this.rest.getForEntity("/fhir/metadata", String.class);
		assertThat(untraced.getHeaders().getFirst("X-Request-ID")).matches("[A-Za-z0-9]{16,}");
	}

	@Test
	@SuppressWarnings("unchecked")
	void healthReportsDatabaseAndPoolToAdministrators() {
		Map<String, Object> anonymous = this.rest.getForObject("/actuator/health", Map.class);
		assertThat(anonymous).containsEntry("status", "UP").doesNotContainKey("components");

		HttpHeaders headers = new HttpHeaders();
		headers.setBearerAuth(TestHospitals.networkKey(context(), Role.ADMIN));
		Map<String, Object> health = this.rest
			.exchange("/actuator/health", HttpMethod.GET, new HttpEntity<>(headers), Map.class)
			.getBody();

		assertThat(health).containsEntry("status", "UP");
		Map<String, Object> components = (Map<String, Object>) health.get("components");
		assertThat((Map<String, Object>) components.get("db")).containsEntry("status", "UP");
		Map<String, Object> pool = (Map<String, Object>) components.get("pool");
		assertThat(pool).containsEntry("status", "UP");
		assertThat((Map<String, Object>) pool.get("details")).containsKeys("max", "active", "idle", "waiting");
	}

	@Test
	@SuppressWarnings("unchecked")
	void infoShowsTheBuild() {
		Map<String, Object> info = this.rest.getForObject("/actuator/info", Map.class);

		assertThat((Map<String, Object>) info.get("build")).containsEntry("version", this.build.getVersion())
			.containsEntry("artifact", "crosswalk");
	}

}
