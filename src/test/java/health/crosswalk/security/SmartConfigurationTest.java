package health.crosswalk.security;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SMART configuration says only what is configured.
 */
class SmartConfigurationTest {

	private static final SecurityProperties.Jwt JWT = new SecurityProperties.Jwt("https://idp.example.org/realms/x",
			URI.create("https://idp.example.org/realms/x/certs"), "crosswalk", "crosswalk_hospital", "crosswalk_role");

	private static final SecurityProperties.Jwt NO_TOKENS = new SecurityProperties.Jwt(null, null, "crosswalk",
			"crosswalk_hospital", "crosswalk_role");

	private static final URI TOKEN = URI.create("https://idp.example.org/realms/x/token");

	private static final URI AUTHORIZE = URI.create("https://idp.example.org/realms/x/auth");

	@Test
	void nothingIsPublishedWithoutTokensOrATokenEndpoint() {
		assertThat(SmartConfigurationServlet.document(properties(NO_TOKENS, null, null))).isNull();
		assertThat(SmartConfigurationServlet.document(properties(NO_TOKENS, AUTHORIZE, TOKEN))).isNull();
		assertThat(SmartConfigurationServlet.document(properties(JWT, AUTHORIZE, null))).isNull();
	}

	@Test
	void clientCredentialsOnlyWithoutAnAuthorizationEndpoint() {
		Map<String, Object> document = SmartConfigurationServlet.document(properties(JWT, null, TOKEN));
		assertThat(document).containsEntry("issuer", JWT.issuer())
			.containsEntry("jwks_uri", JWT.jwkSetUri().toString())
			.containsEntry("token_endpoint", TOKEN.toString())
			.containsEntry("grant_types_supported", List.of("client_credentials"))
			.doesNotContainKeys("authorization_endpoint", "response_types_supported",
					"code_challenge_methods_supported");
		assertThat(document.get("capabilities")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.contains("sso-openid-connect", "permission-v2")
			.doesNotContain("launch-standalone");
	}

	@Test
	void theAuthorizationCodeGrantWithAnAuthorizationEndpoint() {
		Map<String, Object> document = SmartConfigurationServlet.document(properties(JWT, AUTHORIZE, TOKEN));
		assertThat(document).containsEntry("authorization_endpoint", AUTHORIZE.toString())
			.containsEntry("grant_types_supported", List.of("authorization_code", "client_credentials"))
			.containsEntry("code_challenge_methods_supported", List.of("S256"));
		assertThat(document.get("capabilities")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.contains("launch-standalone");
	}

	private static SecurityProperties properties(SecurityProperties.Jwt jwt, URI authorize, URI token) {
		return new SecurityProperties(jwt, new SecurityProperties.Smart(authorize, token));
	}

}
