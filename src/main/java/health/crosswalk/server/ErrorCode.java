package health.crosswalk.server;

/**
 * Stable codes for the errors the FHIR API answers with, carried in
 * {@code OperationOutcome.issue.details.coding} (system {@value #SYSTEM}). Clients may
 * rely on them; their text may improve.
 */
enum ErrorCode {

	INVALID_REQUEST("CW-REQ-001", 400, "invalid",
			"Check the request body, URL and parameters against the FHIR R4 specification."),
	NOT_FOUND("CW-REQ-002", 404, "not-found", "Check the resource type and id."),
	METHOD_NOT_ALLOWED("CW-REQ-003", 405, "not-supported", "See /fhir/metadata for the interactions supported."),
	CONFLICT("CW-REQ-004", 409, "conflict",
			"Read the current version of the resource, apply your change to it and send it again."),
	GONE("CW-REQ-005", 410, "deleted",
			"The resource was deleted (its earlier versions remain in its _history), or the search page expired "
					+ "(run the search again)."),
	PRECONDITION_FAILED("CW-REQ-006", 412, "conflict",
			"The resource changed since you read it (If-Match) or the condition matched more than one resource; "
					+ "read it again and retry."),
	UNSUPPORTED_MEDIA_TYPE("CW-REQ-007", 415, "not-supported", "Send application/fhir+json or application/fhir+xml."),
	UNPROCESSABLE("CW-REQ-008", 422, "processing", "Correct the resource so that it conforms and send it again."),
	OTHER_CLIENT_ERROR("CW-REQ-009", 400, "invalid", "Check the request against the FHIR R4 specification."),
	INTERNAL_ERROR("CW-SRV-001", 500, "exception",
			"The server failed; retry later and report the request id to the operators if it persists.");

	static final String SYSTEM = Outcomes.SYSTEM;

	private final String code;

	private final int status;

	private final String issueType;

	private final String hint;

	ErrorCode(String code, int status, String issueType, String hint) {
		this.code = code;
		this.status = status;
		this.issueType = issueType;
		this.hint = hint;
	}

	String code() {
		return this.code;
	}

	String issueType() {
		return this.issueType;
	}

	String hint() {
		return this.hint;
	}

	static ErrorCode forStatus(int status) {
		for (ErrorCode candidate : values()) {
			if (candidate.status == status && candidate != OTHER_CLIENT_ERROR) {
				return candidate;
			}
		}
		return (status >= 500) ? INTERNAL_ERROR : OTHER_CLIENT_ERROR;
	}

}
