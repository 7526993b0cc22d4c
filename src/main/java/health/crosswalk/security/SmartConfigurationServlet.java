package health.crosswalk.security;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.server.Outcomes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Publishes SMART App Launch's {@code .well-known/smart-configuration}: where to get
 * tokens and which scopes and capabilities this server understands. Public, at the server
 * root and under {@code /fhir}. It says only what is configured: without access tokens
 * and a token endpoint there is nothing true to publish, and it answers 404
 * ({@code CW-AUTH-007}); the authorization-code grant, PKCE and the {@code code} response
 * type are listed only with an authorization endpoint.
 */
final class SmartConfigurationServlet extends HttpServlet {

	private final byte[] document;

	SmartConfigurationServlet(SecurityProperties properties, ObjectMapper json) throws IOException {
		Map<String, Object> document = document(properties);
		this.document = (document != null) ? json.writeValueAsBytes(document) : null;
	}

	/**
	 * The configuration document.
	 * @param properties the security settings
	 * @return the document, or null when tokens or the token endpoint are not configured
	 */
	static Map<String, Object> document(SecurityProperties properties) {
		SecurityProperties.Jwt jwt = properties.jwt();
		URI tokenEndpoint = properties.smart().tokenEndpoint();
		if (!jwt.enabled() || !isSet(tokenEndpoint)) {
			return null;
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", jwt.issuer());
		document.put("jwks_uri", jwt.jwkSetUri().toString());
		URI authorizationEndpoint = properties.smart().authorizationEndpoint();
		boolean authorizationCode = isSet(authorizationEndpoint);
		if (authorizationCode) {
			document.put("authorization_endpoint", authorizationEndpoint.toString());
		}
		document.put("token_endpoint", tokenEndpoint.toString());
		document.put("grant_types_supported", authorizationCode ? List.of("authorization_code", "client_credentials")
				: List.of("client_credentials"));
		if (authorizationCode) {
			document.put("response_types_supported", List.of("code"));
			document.put("code_challenge_methods_supported", List.of("S256"));
		}
		document.put("scopes_supported", List.of("openid", "fhirUser", "system/*.cruds", "system/*.rs", "user/*.cruds",
				"user/*.rs", "system/AuditEvent.rs"));
		List<String> capabilities = new ArrayList<>(
				List.of("permission-v2", "permission-v1", "permission-user", "sso-openid-connect"));
		if (authorizationCode) {
			capabilities.add("launch-standalone");
		}
		document.put("capabilities", capabilities);
		return document;
	}

	private static boolean isSet(URI value) {
		return value != null && !value.toString().isBlank();
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (this.document == null) {
			Outcomes.write(response, 404, SecurityError.SMART_NOT_CONFIGURED
				.outcome("No SMART configuration: access tokens are not configured on this server."));
			return;
		}
		response.setContentType("application/json");
		response.setHeader("Cache-Control", "public, max-age=3600");
		response.getOutputStream().write(this.document);
	}

}
