package health.crosswalk.security;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call Crosswalk ({@code crosswalk.security.*}). API keys always work; access
 * tokens work once {@code jwt.issuer} and {@code jwt.jwk-set-uri} are set.
 *
 * @param jwt access tokens from the network's OpenID Connect provider
 * @param smart endpoints published in {@code .well-known/smart-configuration}
 */
@ConfigurationProperties("crosswalk.security")
record SecurityProperties(@DefaultValue Jwt jwt, @DefaultValue Smart smart) {

	/**
	 * Access token validation.
	 *
	 * @param issuer required {@code iss} of tokens; empty refuses every token
	 * @param jwkSetUri where the provider publishes its signing keys (JWKS)
	 * @param audience required {@code aud} of tokens
	 * @param hospitalClaim claim holding the slug of the caller's hospital
	 * @param roleClaim claim holding the caller's Crosswalk role (a string or a list)
	 */
	record Jwt(String issuer, URI jwkSetUri, @DefaultValue("crosswalk") String audience,
			@DefaultValue("crosswalk_hospital") String hospitalClaim,
			@DefaultValue("crosswalk_role") String roleClaim) {

		Jwt {
			boolean hasIssuer = issuer != null && !issuer.isBlank();
			boolean hasJwks = jwkSetUri != null && !jwkSetUri.toString().isBlank();
			if (hasIssuer != hasJwks) {
				throw new IllegalArgumentException(
						"Set both crosswalk.security.jwt.issuer (CROSSWALK_SECURITY_JWT_ISSUER) "
								+ "and crosswalk.security.jwt.jwk-set-uri (CROSSWALK_SECURITY_JWT_JWK_SET_URI), or neither");
			}
			if (hasJwks && !jwkSetUri.isAbsolute()) {
				throw new IllegalArgumentException(
						"crosswalk.security.jwt.jwk-set-uri must be an absolute URL, but was '" + jwkSetUri + "'");
			}
		}

		boolean enabled() {
			return this.issuer != null && !this.issuer.isBlank();
		}

	}

	/**
	 * Endpoints of the OpenID Connect provider that SMART clients use.
	 *
	 * @param authorizationEndpoint where users authorize apps
	 * @param tokenEndpoint where clients get tokens
	 */
	record Smart(URI authorizationEndpoint, URI tokenEndpoint) {
	}

}
