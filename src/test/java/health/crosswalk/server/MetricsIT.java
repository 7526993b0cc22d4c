package health.crosswalk.server;

import java.net.http.HttpResponse;

import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.security.Role;
import org.junit.jupiter.api.Test;

import static health.crosswalk.FhirHttp.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus scrape a monitoring system reads with a monitor key: the series each
 * capability publishes, and readiness that includes the audit trail.
 */
class MetricsIT extends CrosswalkIntegrationTest {

	@Test
	void aMonitorScrapesTheNamedSeriesAndNothingElse() {
		FhirHttp http = new FhirHttp(serverUrl());
		String key = hospital().key();
		String created = http
			.send("POST", "/fhir/Patient", key, "application/fhir+json", CoreResources.patientJson("Metrics", ""))
			.headers()
			.firstValue("Location")
			.orElseThrow();
		String patient = created.substring(created.indexOf("Patient/")).replaceFirst("/_history/.*", "");
		assertThat(http.get("/fhir/" + patient, key).statusCode()).isEqualTo(200);

		String monitor = TestHospitals.networkKey(context(), Role.MONITOR);
		HttpResponse<String> scrape = http.send("GET", "/actuator/prometheus", monitor, null, null, "Accept",
				"text/plain;version=0.0.4");
		assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
		assertThat(scrape.body()).contains(
				"crosswalk_fhir_requests_seconds_count{interaction=\"create\",status=\"2xx\",type=\"Patient\"}",
				"crosswalk_fhir_requests_seconds_count{interaction=\"read\",status=\"2xx\",type=\"Patient\"}",
				"crosswalk_audit_queue_depth ", "crosswalk_audit_commit_seconds_count ",
				"crosswalk_audit_records_total ", "crosswalk_audit_seal_age_seconds ",
				"crosswalk_audit_sealed_last_pass ", "crosswalk_linkage_decisions_total{kind=\"",
				"crosswalk_validation_seconds_count{outcome=\"accepted\",type=\"Patient\"}",
				"cache_gets_total{cache=\"resource_lookup_by_forced_id\",result=\"hit\"}",
				"hikaricp_connections_active", "http_server_requests_seconds_count{", "crosswalk_registry_listening ");
		// No gauge of requests in flight: it cost a meter lookup per request.
		assertThat(scrape.body()).doesNotContain("http_server_requests_active_seconds");

		assertThat(http.send("GET", "/actuator/prometheus", key, null, null, "Accept", "text/plain").statusCode())
			.isEqualTo(403);
		assertThat(http.send("GET", "/actuator/prometheus", null, null, null, "Accept", "text/plain").statusCode())
			.isEqualTo(401);
		assertOutcome(http.get("/fhir/" + patient, monitor), 403, "CW-AUTH-010");

		HttpResponse<String> readiness = http.get("/actuator/health/readiness",
				TestHospitals.networkKey(context(), Role.ADMIN));
		assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"audit\"", "\"UP\"");
	}

}
