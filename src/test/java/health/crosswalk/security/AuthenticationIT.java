package health.crosswalk.security;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.TestIdentityProvider;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;
import org.springframework.test.util.ReflectionTestUtils;

import static health.crosswalk.FhirHttp.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every credential problem is a 401, every missing permission a 403, each with an
 * OperationOutcome that says what to fix. The CapabilityStatement and the SMART
 * configuration stay public.
 */
class AuthenticationIT extends CrosswalkIntegrationTest {

	private final TestIdentityProvider idp = TestIdentityProvider.get();

	private FhirHttp http;

	@BeforeEach
	void http() {
		this.http = new FhirHttp(serverUrl());
	}

	@Test
	void noCredentialIs401WithAChallenge() {
		HttpResponse<String> response = this.http.get("/fhir/Patient", null);
		assertOutcome(response, 401, "CW-AUTH-001");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
		assertOutcome(this.http.getWithAuthorization("/fhir/Patient", "Basic dXNlcjpwYXNz"), 401, "CW-AUTH-001");
	}

	@Test
	void malformedAuthorizationIs401() {
		assertOutcome(this.http.getWithAuthorization("/fhir/Patient", "Bearer not a token"), 401, "CW-AUTH-002");
		assertOutcome(this.http.get("/fhir/Patient", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), 401, "CW-AUTH-002");
	}

	@Test
	void unknownMalformedOrRevokedKeysAre401() {
		assertOutcome(this.http.get("/fhir/Patient", "cwk_aaaaaaaaaaaaaaaa_" + "a".repeat(43)), 401, "CW-AUTH-003");
		assertOutcome(this.http.get("/fhir/Patient", "cwk_short"), 401, "CW-AUTH-003");
		String key = hospital().key();
		String wrongSecret = key.substring(0, key.length() - 4) + "AAAA";
		assertOutcome(this.http.get("/fhir/Patient", wrongSecret), 401, "CW-AUTH-003");

		assertThat(this.http.get("/fhir/Patient", key).statusCode()).isEqualTo(200);
		String keyId = key.substring(4, 20);
		context().getBean(JdbcTemplate.class)
			.update("UPDATE crosswalk.api_key SET revoked_at = now() WHERE key_id = ?", keyId);
		// Seen when the change's notification reaches the server
		// (hospital.RegistryCache).
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertOutcome(this.http.get("/fhir/Patient", key), 401, "CW-AUTH-003"));
	}

	@Test
	void suspendedHospitalIs401UntilReactivated() {
		TestHospital hospital = hospital();
		String admin = TestHospitals.networkKey(context(), Role.ADMIN);
		String jwt = this.idp.token(hospital.slug(), "clinician", "user/*.rs");
		assertThat(this.http.send("POST", "/admin/hospitals/" + hospital.slug() + "/suspend", admin, null, null)
			.statusCode()).isEqualTo(200);

		assertOutcome(this.http.get("/fhir/Patient", hospital.key()), 401, "CW-AUTH-004");
		assertOutcome(this.http.get("/fhir/Patient", jwt), 401, "CW-AUTH-004");

		this.http.send("POST", "/admin/hospitals/" + hospital.slug() + "/activate", admin, null, null);
		assertThat(this.http.get("/fhir/Patient", hospital.key()).statusCode()).isEqualTo(200);
	}

	@Test
	void validAccessTokenIsAccepted() {
		String token = this.idp.token(hospital().slug(), "clinician", "openid fhirUser user/*.rs");
		assertThat(this.http.get("/fhir/Patient", token).statusCode()).isEqualTo(200);
	}

	@Test
	void expiredForeignOrMisaddressedTokensAre401() {
		String slug = hospital().slug();
		String iss = TestIdentityProvider.ISSUER;
		String aud = TestIdentityProvider.AUDIENCE;
		Duration valid = Duration.ofMinutes(5);
		assertOutcome(
				this.http.get("/fhir/Patient", this.idp.token(
						TestIdentityProvider.claims(slug, "clinician", "user/*.rs", iss, aud, Duration.ofMinutes(-5)))),
				401, "CW-AUTH-002");
		assertOutcome(
				this.http.get("/fhir/Patient", this.idp
					.token(TestIdentityProvider.claims(slug, "clinician", "user/*.rs", iss, "someone-else", valid))),
				401, "CW-AUTH-002");
		assertOutcome(
				this.http.get("/fhir/Patient", this.idp.token(
						TestIdentityProvider.claims(slug, "clinician", "user/*.rs", "https://evil.test", aud, valid))),
				401, "CW-AUTH-002");
		assertOutcome(
				this.http.get("/fhir/Patient",
						this.idp.tokenSignedByStranger(
								TestIdentityProvider.claims(slug, "clinician", "user/*.rs", iss, aud, valid))),
				401, "CW-AUTH-002");
	}

	@Test
	void tokenForAnUnknownHospitalIs401() {
		assertOutcome(this.http.get("/fhir/Patient", this.idp.token("no-such-hospital", "clinician", "user/*.rs")), 401,
				"CW-AUTH-005");
		assertOutcome(this.http.get("/fhir/Patient", this.idp.token(null, "clinician", "user/*.rs")), 401,
				"CW-AUTH-005");
	}

	@Test
	void validCredentialWithoutRoleOrScopeIs403() {
		String slug = hospital().slug();
		assertOutcome(this.http.get("/fhir/Patient", this.idp.token(slug, null, "user/*.rs")), 403, "CW-AUTH-010");
		String observationsOnly = this.idp.token(slug, "clinician", "user/Observation.rs");
		assertOutcome(this.http.get("/fhir/Patient", observationsOnly), 403, "CW-AUTH-011");
		assertThat(this.http.get("/fhir/Observation", observationsOnly).statusCode()).isEqualTo(200);
		assertOutcome(
				this.http.send("POST", "/fhir/Observation", observationsOnly, "application/fhir+json",
						"{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}"),
				403, "CW-AUTH-011");
		assertOutcome(this.http.get("/fhir/Patient", this.idp.token(slug, "clinician", "patient/*.rs")), 403,
				"CW-AUTH-011");
	}

	@Test
	@SuppressWarnings("unchecked")
	void metadataAndSmartConfigurationArePublic() throws Exception {
		assertThat(this.http.get("/fhir/metadata", null).statusCode()).isEqualTo(200);
		for (String path : new String[] { "/.well-known/smart-configuration",
				"/fhir/.well-known/smart-configuration" }) {
			HttpResponse<String> response = this.http.get(path, null);
			assertThat(response.statusCode()).isEqualTo(200);
			Map<String, Object> smart = new ObjectMapper().readValue(response.body(), Map.class);
			assertThat(smart).containsEntry("issuer", TestIdentityProvider.ISSUER)
				.containsEntry("jwks_uri", this.idp.jwkSetUri())
				.containsEntry("token_endpoint", TestIdentityProvider.ISSUER + "/token")
				.containsEntry("grant_types_supported", List.of("client_credentials"))
				.containsKeys("capabilities", "scopes_supported")
				.doesNotContainKeys("authorization_endpoint", "response_types_supported");
			assertThat((Iterable<String>) smart.get("capabilities")).contains("permission-v2", "sso-openid-connect")
				.doesNotContain("launch-standalone");
		}
	}

	@Test
	void springSecurityFiltersRunUnobserved() {
		// Each request is timed whole (http_server_requests); Spring Security would
		// otherwise wrap each of its filters in an observation of its own.
		Object chain = context().getBean("springSecurityFilterChain");
		assertThat(ReflectionTestUtils.getField(chain, "filterChainDecorator")).isNotNull()
			.isNotInstanceOf(ObservationFilterChainDecorator.class);
	}

	@Test
	void springSecurityChainRunsWithoutSpringMvcLookups() {
		// Spring Security's composite would look up Spring MVC's handler for every
		// request first; the chain served is its own FilterChainProxy.
		assertThat(context().getBean("springSecurityFilterChain").getClass()).isEqualTo(FilterChainProxy.class);
	}

	@Test
	void noLogoutFilterRuns() {
		// Stateless: nothing to log out of. The servlet-API filter stays, for Actuator's
		// health details (OperationsIT).
		FilterChainProxy chain = context().getBean("springSecurityFilterChain", FilterChainProxy.class);
		assertThat(chain.getFilterChains()).singleElement()
			.satisfies((only) -> assertThat(only.getFilters()).extracting(Object::getClass)
				.doesNotContain(LogoutFilter.class)
				.contains(SecurityContextHolderAwareRequestFilter.class));
	}

}
