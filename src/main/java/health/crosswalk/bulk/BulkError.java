package health.crosswalk.bulk;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of Bulk Data refusals.
 */
enum BulkError implements CrosswalkError {

	/**
	 * An export's status, manifest or files asked for by someone other than its
	 * requester.
	 */
	NOT_YOUR_EXPORT("CW-BULK-001", 404, IssueType.NOTFOUND,
			"Poll the Content-Location your own $export answered with, with the credential that started it; "
					+ "an export's status and files belong to its requester alone."),
	/** A client writing a Binary that carries, or would carry, an export's owner. */
	EXPORT_FILE_READ_ONLY("CW-BULK-002", 403, IssueType.FORBIDDEN,
			"Export files are written by the server alone; read them, or start a new $export."),
	/** A poll without a job id. */
	NO_JOB_ID("CW-BULK-003", 400, IssueType.REQUIRED,
			"Poll the Content-Location your $export answered with: it names the job (_jobId)."),
	/** An export started by a token without a subject, which could own nothing. */
	NO_OWNER("CW-BULK-005", 403, IssueType.FORBIDDEN,
			"Start exports with an API key, or with an access token that carries a subject (sub)."),
	/** Export parameters HAPI would accept and its job then fail on. */
	BAD_EXPORT_REQUEST("CW-BULK-004", 400, IssueType.INVALID,
			"Give each _typeFilter as Type?parameter=value, on a type the export includes and with that type's "
					+ "search parameters (see /fhir/metadata); leave out _mdm."),
	/** A requester with as many exports running as it may have. */
	TOO_MANY_EXPORTS("CW-BULK-006", 429, IssueType.THROTTLED,
			"Wait for one of your running exports to complete, or cancel one (DELETE its Content-Location), "
					+ "then start this one.");

	private final Definition definition;

	BulkError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
