package health.crosswalk.fairshare;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The fair share's error codes.
 */
enum FairShareError implements CrosswalkError {

	BUSY("CW-FAIR-001", 429, IssueType.THROTTLED,
			"Send fewer requests at once and retry after the Retry-After seconds (settings "
					+ "crosswalk.fair-share.max-concurrent-requests, max-queued-requests, queue-timeout).");

	private final Definition definition;

	FairShareError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
