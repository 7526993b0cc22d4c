package health.crosswalk.linkage;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.crosswalk.server.Outcomes;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of linkage refusals.
 */
final class LinkageError {

	static final String UPI_NOT_SETTABLE = "CW-LINK-001";

	private LinkageError() {
	}

	static UnprocessableEntityException upiNotSettable(String system) {
		String message = "The identifier in system " + system + " is the universal patient identifier; the server "
				+ "assigns it and clients cannot set or change it.";
		return new UnprocessableEntityException(message, Outcomes.error(UPI_NOT_SETTABLE, IssueType.BUSINESSRULE,
				message, "Remove that identifier, or send back the value the server gave, unchanged."));
	}

}
