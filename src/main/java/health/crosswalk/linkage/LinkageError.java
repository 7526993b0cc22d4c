package health.crosswalk.linkage;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.crosswalk.server.Outcomes;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of linkage refusals.
 */
final class LinkageError {

	static final String UPI_NOT_SETTABLE = "CW-LINK-001";

	static final String UNKNOWN_SOURCE_DOMAIN = "CW-LINK-002";

	static final String UNKNOWN_TARGET_SYSTEM = "CW-LINK-003";

	private static final String KNOWN_SYSTEMS = "Use a registered hospital's identifier system, a trusted national "
			+ "system or the UPI's.";

	private LinkageError() {
	}

	/**
	 * PIXm (ITI-83) for a sourceIdentifier of a domain the server does not know: 400 with
	 * issue code {@code code-invalid}.
	 * @param system the unknown system
	 * @return the exception to throw
	 */
	static InvalidRequestException unknownSourceDomain(String system) {
		String message = "sourceIdentifier names the identifier system '" + system + "', which is neither a "
				+ "registered hospital's, a trusted national system, nor the UPI's.";
		InvalidRequestException exception = new InvalidRequestException(message);
		exception
			.setOperationOutcome(Outcomes.error(UNKNOWN_SOURCE_DOMAIN, IssueType.CODEINVALID, message, KNOWN_SYSTEMS));
		return exception;
	}

	/**
	 * PIXm (ITI-83) for a targetSystem the server does not know: 403 with issue code
	 * {@code code-invalid}.
	 * @param system the unknown system
	 * @return the exception to throw
	 */
	static ForbiddenOperationException unknownTargetSystem(String system) {
		String message = "targetSystem names the identifier system '" + system + "', which is neither a "
				+ "registered hospital's, a trusted national system, nor the UPI's.";
		return new ForbiddenOperationException(message,
				Outcomes.error(UNKNOWN_TARGET_SYSTEM, IssueType.CODEINVALID, message, KNOWN_SYSTEMS));
	}

	static UnprocessableEntityException upiNotSettable(String system) {
		String message = "The identifier in system " + system + " is the universal patient identifier; the server "
				+ "assigns it and clients cannot set or change it.";
		return new UnprocessableEntityException(message, Outcomes.error(UPI_NOT_SETTABLE, IssueType.BUSINESSRULE,
				message, "Remove that identifier, or send back the value the server gave, unchanged."));
	}

}
