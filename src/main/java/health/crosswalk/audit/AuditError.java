package health.crosswalk.audit;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The audit trail's errors.
 */
enum AuditError implements CrosswalkError {

	UNAVAILABLE("CW-AUD-001", 503, IssueType.TRANSIENT,
			"The audit trail could not record this request, so nothing was returned or changed; retry later."),
	INVALID_SEARCH("CW-AUD-002", 400, IssueType.INVALID,
			"Search AuditEvents by date, patient, agent, agent-name, altid, entity, type, subtype, action, outcome "
					+ "source and request-id; give references as Type/id."),
	KEY_REQUIRED("CW-AUD-003", 409, IssueType.CONFLICT,
			"Records sealed with HMAC-SHA-256 can be verified only by a server configured with the same "
					+ "crosswalk.audit.hmac-key."),
	IMMUTABLE("CW-AUD-005", 405, IssueType.FORBIDDEN,
			"AuditEvents are written by the server alone and never changed; read and search them instead."),
	INVALID_RANGE("CW-AUD-004", 400, IssueType.INVALID,
			"Give from and to as FHIR dateTimes with from before to, and the anchor as position and hash (hex) "
					+ "together.");

	private final Definition definition;

	AuditError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
