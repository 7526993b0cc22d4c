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
 * @param client the application a token was issued to (its {@code azp}, else its
 * {@code client_id}); null for API keys and tokens that name none
 */
public record CrosswalkPrincipal(String subject, Role role, HospitalRef hospital, SmartScopes scopes, String credential,
		String client) {

	/**
	 * The identifier system of a requester's name ({@link #requester()}) where a resource
	 * records it, as the files of an export do in {@code Binary.securityContext}.
	 */
	public static final String REQUESTER_SYSTEM = "https://fhir.crosswalk.health/sid/export-requester";

	/**
	 * A caller that names no client application (an API key).
	 */
	public CrosswalkPrincipal(String subject, Role role, HospitalRef hospital, SmartScopes scopes, String credential) {
		this(subject, role, hospital, scopes, credential, null);
	}

	/**
	 * The name of this caller as the requester of asynchronous work ({@code $export},
	 * {@code $import}), whose status and files answer it alone: hospital, credential
	 * kind, subject and, for a token, its client application, so that two applications of
	 * the same user do not see each other's jobs. Subject and client are URL-encoded, so
	 * no two callers share a name.
	 * @return {@code hospital/credential/subject[/client]}, with {@code *} for the
	 * hospital of a network role
	 */
	public String requester() {
		return (hasHospital() ? hospitalSlug() : "*") + "/" + this.credential + "/" + encode(this.subject)
				+ ((this.client != null) ? "/" + encode(this.client) : "");
	}

	/**
	 * The API key a requester's name ({@link #requester()}) names.
	 * @param requester a requester's name
	 * @return the key's id, or null for a token's requester
	 */
	public static String apiKeyOf(String requester) {
		String[] parts = requester.split("/");
		return (parts.length == 3 && parts[1].equals("api-key"))
				? java.net.URLDecoder.decode(parts[2], java.nio.charset.StandardCharsets.UTF_8) : null;
	}

	private static String encode(String value) {
		return (value != null) ? java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8) : "";
	}

	/**
	 * Whether the caller acts for a hospital.
	 * @return true when a hospital is known
	 */
	public boolean hasHospital() {
		return this.hospital != null;
	}

	/**
	 * Whether the caller may see resources of this type: clinical callers within their
	 * scopes but never AuditEvents, auditors only AuditEvents, administrators and
	 * stewards nothing.
	 * @param resourceType a FHIR resource type
	 * @return true if a resource of this type may be shown to the caller
	 */
	public boolean mayRead(String resourceType) {
		if (this.role == null) {
			return false;
		}
		return switch (this.role) {
			case AUDITOR -> "AuditEvent".equals(resourceType);
			case ADMIN, STEWARD, MONITOR -> false;
			// Its export files, which are Binaries.
			case NETWORK_EXPORTER -> "Binary".equals(resourceType) && this.scopes.permitsAll('r');
			case HOSPITAL_SYSTEM, CLINICIAN -> !"AuditEvent".equals(resourceType)
					&& (this.scopes.permits(resourceType, 'r') || this.scopes.permits(resourceType, 's'));
		};
	}

	/**
	 * The slug of the caller's hospital, or null.
	 * @return the slug
	 */
	public String hospitalSlug() {
		return (this.hospital != null) ? this.hospital.slug() : null;
	}

}
