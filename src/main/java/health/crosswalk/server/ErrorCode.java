package health.crosswalk.server;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes for the errors the FHIR API answers with, carried in
 * {@code OperationOutcome.issue.details.coding} (system {@value Outcomes#SYSTEM}).
 * Clients may rely on them; their text may improve.
 */
enum ErrorCode implements CrosswalkError {

	INVALID_REQUEST("CW-REQ-001", 400, IssueType.INVALID,
			"Check the request body, URL and parameters against the FHIR R4 specification."),
	NOT_FOUND("CW-REQ-002", 404, IssueType.NOTFOUND, "Check the resource type and id."),
	METHOD_NOT_ALLOWED("CW-REQ-003", 405, IssueType.NOTSUPPORTED, "See /fhir/metadata for the interactions supported."),
	CONFLICT("CW-REQ-004", 409, IssueType.CONFLICT,
			"Read the current version of the resource, apply your change to it and send it again."),
	GONE("CW-REQ-005", 410, IssueType.DELETED,
			"The resource was deleted (its earlier versions remain in its _history), or the search page expired "
					+ "(run the search again)."),
	PRECONDITION_FAILED("CW-REQ-006", 412, IssueType.CONFLICT,
			"The resource changed since you read it (If-Match) or the condition matched more than one resource; "
					+ "read it again and retry."),
	UNSUPPORTED_MEDIA_TYPE("CW-REQ-007", 415, IssueType.NOTSUPPORTED,
			"Send application/fhir+json or application/fhir+xml."),
	UNPROCESSABLE("CW-REQ-008", 422, IssueType.PROCESSING,
			"Correct the resource so that it conforms and send it again."),
	OTHER_CLIENT_ERROR("CW-REQ-009", 400, IssueType.INVALID, "Check the request against the FHIR R4 specification."),
	INTERNAL_ERROR("CW-SRV-001", 500, IssueType.EXCEPTION,
			"The server failed; retry later and report the request id to the operators if it persists."),
	STATEMENT_TIMEOUT("CW-SRV-002", 503, IssueType.TIMEOUT,
			"Narrow the search (more selective parameters, a smaller _count) or split the bundle into smaller ones "
					+ "(setting crosswalk.db.statement-timeout)."),
	SESSION_ENDED("CW-SRV-003", 503, IssueType.TRANSIENT,
			"Retry. If it recurs for this request, send fewer or smaller resources in one request: a transaction "
					+ "may not wait between two statements longer than the setting "
					+ "crosswalk.db.idle-in-transaction-timeout."),
	CONFLICTED("CW-SRV-004", 503, IssueType.TRANSIENT,
			"Retry: the request collided with concurrent work (a deadlock or serialization failure), or a read "
					+ "replica cancelled it while applying the primary's changes.");

	private final Definition definition;

	ErrorCode(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

	/**
	 * The generic code for a status; the specific codes after {@link #INTERNAL_ERROR} are
	 * never chosen by status alone.
	 * @param status the HTTP status
	 * @return its code
	 */
	static ErrorCode forStatus(int status) {
		for (ErrorCode candidate : values()) {
			if (candidate.status() == status && candidate.ordinal() <= INTERNAL_ERROR.ordinal()
					&& candidate != OTHER_CLIENT_ERROR) {
				return candidate;
			}
		}
		return (status >= 500) ? INTERNAL_ERROR : OTHER_CLIENT_ERROR;
	}

}
