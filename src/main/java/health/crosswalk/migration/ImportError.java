package health.crosswalk.migration;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of {@code $import} refusals.
 */
enum ImportError implements CrosswalkError {

	/** An import's status asked for by someone other than its requester, or none such. */
	NOT_YOUR_IMPORT("CW-IMPORT-001", 404, IssueType.NOTFOUND,
			"Poll the Content-Location your own $import answered with, with the credential that started it; "
					+ "an import's status belongs to its requester alone."),
	/** A kick-off whose Parameters do not say what to import. */
	BAD_REQUEST("CW-IMPORT-002", 400, IssueType.INVALID,
			"POST a Parameters resource with Prefer: respond-async, inputFormat application/fhir+ndjson, "
					+ "inputSource (the data's origin) and an input (type, url) per NDJSON file."),
	/** A poll without a job id. */
	NO_JOB_ID("CW-IMPORT-003", 400, IssueType.REQUIRED,
			"Poll the Content-Location your $import answered with: it names the job (_jobId)."),
	/** An import started by a token without a subject, which could own nothing. */
	NO_OWNER("CW-IMPORT-004", 403, IssueType.FORBIDDEN,
			"Start imports with an API key, or with an access token that carries a subject (sub)."),
	/** A requester with as many imports queued or running as it may have. */
	TOO_MANY_IMPORTS("CW-IMPORT-005", 429, IssueType.THROTTLED,
			"Wait for one of your imports to complete, or cancel one (DELETE its Content-Location), then start "
					+ "this one."),
	/** An input the server may not fetch. */
	SOURCE_NOT_ALLOWED("CW-IMPORT-006", 400, IssueType.INVALID,
			"Upload each NDJSON file as a Binary of your hospital and name it Binary/[id], or ask the "
					+ "administrators to allow its location in crosswalk.import.allowed-urls.");

	private final Definition definition;

	ImportError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
