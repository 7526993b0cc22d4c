package health.crosswalk.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A credential was refused (401), with the stable code and the hint the response carries.
 */
final class CredentialException extends AuthenticationException {

	private final SecurityError error;

	CredentialException(SecurityError error, String message) {
		super(message);
		this.error = error;
	}

	SecurityError error() {
		return this.error;
	}

}
