package health.crosswalk.security;

import java.io.IOException;

import health.crosswalk.server.Outcomes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 answers given before a request reaches the FHIR server or the admin API: an
 * OperationOutcome with a stable code, and {@code WWW-Authenticate} on 401.
 */
final class SecurityResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		SecurityError error;
		String message;
		if (failure instanceof CredentialException credential) {
			error = credential.error();
			message = credential.getMessage();
		}
		else if (failure instanceof OAuth2AuthenticationException oauth) {
			error = SecurityError.INVALID_TOKEN;
			message = "The Authorization header is malformed: " + ((oauth.getError().getDescription() != null)
					? oauth.getError().getDescription() : oauth.getError().getErrorCode());
		}
		else {
			error = SecurityError.NO_CREDENTIAL;
			message = "This request needs a credential.";
		}
		String challenge = (error == SecurityError.NO_CREDENTIAL) ? "Bearer realm=\"crosswalk\""
				: "Bearer realm=\"crosswalk\", error=\"invalid_token\"";
		response.setHeader("WWW-Authenticate", challenge);
		Outcomes.write(response, error.status(), error.outcome(message));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		String message = "Your credential's role does not allow " + request.getMethod() + " " + request.getRequestURI()
				+ ".";
		Outcomes.write(response, 403, SecurityError.ROLE_NOT_ALLOWED.outcome(message));
	}

}
