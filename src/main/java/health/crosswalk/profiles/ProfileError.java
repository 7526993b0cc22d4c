package health.crosswalk.profiles;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of profile enforcement.
 */
enum ProfileError implements CrosswalkError {

	/** One issue per error the validator found. */
	NOT_CONFORMANT("CW-PROF-001", 422, IssueType.PROCESSING,
			"Correct the elements named in each issue's location and send the resource again; the profiles are "
					+ "published in the CapabilityStatement (supportedProfile).");

	private final Definition definition;

	ProfileError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
