package health.crosswalk.security;

import java.util.Collection;
import java.util.List;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Authenticates access tokens from the network's OpenID Connect provider: signature
 * (JWKS), issuer, audience and expiry are checked by Spring Security's decoder; the
 * hospital, role and SMART scopes come from the token's claims.
 */
final class JwtAuthenticator {

	private final JwtDecoder decoder;

	private final SecurityProperties.Jwt settings;

	private final HospitalDirectory hospitals;

	JwtAuthenticator(JwtDecoder decoder, SecurityProperties.Jwt settings, HospitalDirectory hospitals) {
		this.decoder = decoder;
		this.settings = settings;
		this.hospitals = hospitals;
	}

	CrosswalkPrincipal authenticate(String token) {
		if (this.decoder == null) {
			throw new CredentialException(SecurityError.JWT_NOT_ACCEPTED,
					"Access tokens are not accepted here: no OpenID Connect provider is configured.");
		}
		Jwt jwt;
		try {
			jwt = this.decoder.decode(token);
		}
		catch (JwtException ex) {
			throw new CredentialException(SecurityError.INVALID_TOKEN,
					"The access token was refused: " + ex.getMessage());
		}
		Role role = role(jwt);
		HospitalRef hospital = null;
		// A network role acts for no hospital, whatever hospital the token names: the
		// identity provider may add that claim to every token.
		String hospitalSlug = (role == null || role.isClinical()) ? jwt.getClaimAsString(this.settings.hospitalClaim())
				: null;
		if (hospitalSlug != null || (role != null && role.isClinical())) {
			if (hospitalSlug == null) {
				throw new CredentialException(SecurityError.UNKNOWN_HOSPITAL,
						"The access token has no '" + this.settings.hospitalClaim() + "' claim naming its hospital.");
			}
			hospital = this.hospitals.findBySlug(hospitalSlug)
				.orElseThrow(() -> new CredentialException(SecurityError.UNKNOWN_HOSPITAL,
						"The access token names hospital '" + hospitalSlug + "', which is not registered."));
			if (!hospital.active()) {
				throw new CredentialException(SecurityError.HOSPITAL_SUSPENDED,
						"Hospital '" + hospital.slug() + "' is suspended.");
			}
		}
		String client = jwt.hasClaim("azp") ? jwt.getClaimAsString("azp") : jwt.getClaimAsString("client_id");
		return new CrosswalkPrincipal(jwt.getSubject(), role, hospital, SmartScopes.parse(scopes(jwt)), "jwt", client);
	}

	private Role role(Jwt jwt) {
		Object claim = jwt.getClaim(this.settings.roleClaim());
		Collection<?> candidates = (claim instanceof Collection<?> many) ? many
				: (claim != null) ? List.of(claim) : List.of();
		return candidates.stream()
			.map((candidate) -> Role.fromCode(candidate.toString()))
			.flatMap(java.util.Optional::stream)
			.findFirst()
			.orElse(null);
	}

	private static String scopes(Jwt jwt) {
		Object scope = jwt.getClaim("scope");
		if (scope instanceof String text) {
			return text;
		}
		Object scp = (scope != null) ? scope : jwt.getClaim("scp");
		if (scp instanceof Collection<?> many) {
			return String.join(" ", many.stream().map(Object::toString).toList());
		}
		return "";
	}

}
