package health.crosswalk.security;

/**
 * Who is calling, resolved once per request from an API key or a JWT. Everything
 * downstream (partition, authorization, audit) reads this, never the raw request.
 *
 * @param subject who: the API key id, or the token's subject
 * @param role what the caller may do; null when a token carries no Crosswalk role
 * @param hospital the hospital the caller acts for; null for auditors and admins
 * @param scopes SMART scopes granted
 * @param credential how the caller authenticated, such as {@code api-key} or {@code jwt}
 */
public record CrosswalkPrincipal(String subject, Role role, HospitalRef hospital, SmartScopes scopes,
		String credential) {

	/**
	 * Whether the caller acts for a hospital.
	 * @return true when a hospital is known
	 */
	public boolean hasHospital() {
		return this.hospital != null;
	}

	/**
	 * The slug of the caller's hospital, or null.
	 * @return the slug
	 */
	public String hospitalSlug() {
		return (this.hospital != null) ? this.hospital.slug() : null;
	}

}
