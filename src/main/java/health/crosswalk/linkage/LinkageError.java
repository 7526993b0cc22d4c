package health.crosswalk.linkage;

import health.crosswalk.server.CrosswalkError;
import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of linkage refusals.
 */
enum LinkageError implements CrosswalkError {

	UPI_NOT_SETTABLE("CW-LINK-001", 422, IssueType.BUSINESSRULE,
			"Remove that identifier, or send back the value the server gave, unchanged."),
	/** PIXm (ITI-83): a sourceIdentifier of a domain the server does not know. */
	UNKNOWN_SOURCE_DOMAIN("CW-LINK-002", 400, IssueType.CODEINVALID, LinkageError.KNOWN_SYSTEMS),
	/** PIXm (ITI-83): a targetSystem the server does not know. */
	UNKNOWN_TARGET_SYSTEM("CW-LINK-003", 403, IssueType.CODEINVALID, LinkageError.KNOWN_SYSTEMS),
	CONFLICT("CW-LINK-004", 409, IssueType.CONFLICT,
			"List open review items with GET /admin/linkage/reviews; a resolved item stays resolved."),
	INVALID("CW-LINK-005", 400, IssueType.INVALID, "Every decision needs a reason; check the UPIs and ids."),
	NOT_FOUND("CW-LINK-006", 404, IssueType.NOTFOUND,
			"Check the hospital slug, the Patient id, the UPI or the review item id."),
	/** A page of shared records asked for from a cursor the server did not write. */
	BAD_SHARING_CURSOR("CW-LINK-007", 400, IssueType.INVALID,
			"Follow the Bundle's next link as the server gave it, or ask $everything again without it.");

	private static final String KNOWN_SYSTEMS = "Use a registered hospital's identifier system, a trusted national "
			+ "system or the UPI's.";

	private final Definition definition;

	LinkageError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

	static CrosswalkException unknownSourceDomain(String system) {
		return UNKNOWN_SOURCE_DOMAIN.exception("sourceIdentifier names the identifier system '" + system
				+ "', which is neither a registered hospital's, a trusted national system, nor the UPI's.");
	}

	static CrosswalkException unknownTargetSystem(String system) {
		return UNKNOWN_TARGET_SYSTEM.exception("targetSystem names the identifier system '" + system
				+ "', which is neither a registered hospital's, a trusted national system, nor the UPI's.");
	}

	static CrosswalkException upiNotSettable(String system) {
		return UPI_NOT_SETTABLE.exception("The identifier in system " + system + " is the universal patient "
				+ "identifier; the server assigns it and clients cannot set or change it.");
	}

}
