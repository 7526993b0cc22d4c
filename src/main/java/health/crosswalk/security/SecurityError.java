package health.crosswalk.security;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of authentication (401) and authorization (403) refusals.
 */
enum SecurityError implements CrosswalkError {

	NO_CREDENTIAL("CW-AUTH-001", 401, IssueType.LOGIN,
			"Send 'Authorization: Bearer <token>' with a Crosswalk API key or an access token from the network's "
					+ "OpenID Connect provider."),
	INVALID_TOKEN("CW-AUTH-002", 401, IssueType.LOGIN,
			"Get a new access token from the network's OpenID Connect provider; check its issuer, audience and expiry."),
	INVALID_API_KEY("CW-AUTH-003", 401, IssueType.LOGIN,
			"Ask the network administrator for a valid API key; revoked keys stay refused."),
	HOSPITAL_SUSPENDED("CW-AUTH-004", 401, IssueType.LOGIN,
			"The hospital is suspended; its credentials work again when an administrator reactivates it."),
	UNKNOWN_HOSPITAL("CW-AUTH-005", 401, IssueType.LOGIN,
			"The token must name a registered hospital in its hospital claim; ask the network administrator."),
	JWT_NOT_ACCEPTED("CW-AUTH-006", 401, IssueType.LOGIN,
			"This server accepts only API keys; an administrator must configure crosswalk.security.jwt.* to accept "
					+ "access tokens."),
	SMART_NOT_CONFIGURED("CW-AUTH-007", 404, IssueType.NOTFOUND,
			"This server publishes a SMART configuration once an administrator has configured access tokens "
					+ "(crosswalk.security.jwt.*) and where clients get them (crosswalk.security.smart.token-endpoint)."),
	ROLE_NOT_ALLOWED("CW-AUTH-010", 403, IssueType.FORBIDDEN,
			"Use a credential with a role that allows this: hospital-system or clinician for clinical data, auditor "
					+ "for AuditEvents, admin for hospitals and credentials."),
	SCOPE_MISSING("CW-AUTH-011", 403, IssueType.FORBIDDEN,
			"Request an access token with a SMART scope that grants this interaction, such as "
					+ "user/Observation.rs or system/*.cruds."),
	FOREIGN_IDENTIFIER_SYSTEM("CW-AUTH-012", 403, IssueType.FORBIDDEN,
			"Use your own hospital's identifier systems (MRN namespaces) or shared national ones; ask the network "
					+ "administrator to register a system for your hospital."),
	OPERATION_NOT_ALLOWED("CW-AUTH-013", 403, IssueType.FORBIDDEN,
			"This operation is not available to hospital callers; see /fhir/metadata."),
	SHARED_RESOURCE_READ_ONLY("CW-AUTH-014", 403, IssueType.FORBIDDEN,
			"Conformance resources and hospital Organizations are managed by the network, not through the FHIR API."),
	/** A client writing the server's mark of where a record comes from. */
	SERVER_TAG("CW-AUTH-015", 403, IssueType.FORBIDDEN,
			"Leave out tags of system urn:crosswalk:source-hospital: the server marks shared and exported records "
					+ "with the hospital they come from.");

	private final Definition definition;

	SecurityError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
