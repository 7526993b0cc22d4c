package health.crosswalk.security;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Publishes SMART App Launch's {@code .well-known/smart-configuration}: where to get
 * tokens and which scopes and capabilities this server understands. Public, at the server
 * root and under {@code /fhir}.
 */
final class SmartConfigurationServlet extends HttpServlet {

	private final byte[] document;

	SmartConfigurationServlet(SecurityProperties properties, ObjectMapper json) throws IOException {
		this.document = json.writeValueAsBytes(document(properties));
	}

	static Map<String, Object> document(SecurityProperties properties) {
		Map<String, Object> document = new LinkedHashMap<>();
		SecurityProperties.Jwt jwt = properties.jwt();
		if (jwt.enabled()) {
			document.put("issuer", jwt.issuer());
			document.put("jwks_uri", jwt.jwkSetUri().toString());
		}
		putIfSet(document, "authorization_endpoint", properties.smart().authorizationEndpoint());
		putIfSet(document, "token_endpoint", properties.smart().tokenEndpoint());
		document.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
		document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "private_key_jwt"));
		document.put("response_types_supported", List.of("code"));
		document.put("code_challenge_methods_supported", List.of("S256"));
		document.put("scopes_supported", List.of("openid", "fhirUser", "offline_access", "system/*.cruds",
				"system/*.rs", "user/*.cruds", "user/*.rs", "system/AuditEvent.rs"));
		document.put("capabilities", List.of("permission-v2", "permission-v1", "client-confidential-symmetric",
				"client-confidential-asymmetric", "sso-openid-connect", "permission-user"));
		return document;
	}

	private static void putIfSet(Map<String, Object> document, String name, URI value) {
		if (value != null && !value.toString().isBlank()) {
			document.put(name, value.toString());
		}
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setContentType("application/json");
		response.setHeader("Cache-Control", "public, max-age=3600");
		response.getOutputStream().write(this.document);
	}

}
