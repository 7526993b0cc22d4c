package health.crosswalk.hospital;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Stable codes of the hospital registry's refusals.
 */
enum HospitalError implements CrosswalkError {

	INVALID("CW-HOSP-001", 400, IssueType.INVALID,
			"Slugs are 1-63 lower-case letters, digits and inner hyphens; names 1-200 characters; identifier "
					+ "systems absolute URIs without spaces."),
	SLUG_TAKEN("CW-HOSP-002", 409, IssueType.DUPLICATE, "Choose another slug; slugs are never reused."),
	SYSTEM_TAKEN("CW-HOSP-003", 409, IssueType.DUPLICATE,
			"Each identifier system belongs to one hospital; register a system of the hospital's own."),
	UNKNOWN_HOSPITAL("CW-HOSP-004", 404, IssueType.NOTFOUND, "List the hospitals with GET /admin/hospitals."),
	UNKNOWN_KEY("CW-HOSP-005", 404, IssueType.NOTFOUND, "List the keys with GET /admin/keys."),
	INVALID_ROLE("CW-HOSP-006", 400, IssueType.INVALID,
			"Hospital keys have the role hospital-system or clinician; network keys auditor, steward, admin, monitor "
					+ "or network-exporter.");

	private final Definition definition;

	HospitalError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
