package health.crosswalk.limits;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The limits' error codes.
 */
enum LimitError implements CrosswalkError {

	BODY_TOO_LARGE("CW-LIM-001", 413, IssueType.TOOCOSTLY,
			"Send a smaller body: split large bundles into several (setting crosswalk.limits.max-body-size)."),
	STRING_TOO_LONG("CW-LIM-002", 400, IssueType.TOOLONG,
			"Shorten the value, or send large content as an attachment (setting crosswalk.limits.max-string-length)."),
	DECIMAL_OUT_OF_RANGE("CW-LIM-003", 400, IssueType.VALUE,
			"Send the number with fewer digits or a smaller exponent (setting crosswalk.limits.max-decimal-length)."),
	INVALID_TEXT("CW-LIM-004", 400, IssueType.VALUE,
			"Remove control characters (other than tab and line breaks) and unpaired surrogates from the text."),
	TOO_MANY_PARAMETERS("CW-LIM-005", 400, IssueType.TOOCOSTLY,
			"Send fewer or shorter parameters: narrow the search, or split it into several (settings "
					+ "crosswalk.limits.max-parameters, crosswalk.limits.max-parameter-length)."),
	INVALID_VALUE("CW-LIM-006", 400, IssueType.VALUE,
			"Send the value in the form its FHIR type defines: a date has no time, an instant has seconds and a "
					+ "time zone."),
	TOO_MANY_ENTRIES("CW-LIM-007", 413, IssueType.TOOCOSTLY,
			"Send fewer entries in one Bundle: split it into several transactions or batches (setting "
					+ "crosswalk.limits.max-bundle-entries)."),
	TOO_DEEP("CW-LIM-008", 400, IssueType.TOOCOSTLY,
			"Nest the body less deeply; no FHIR resource needs so deep a structure (settings "
					+ "crosswalk.limits.max-json-depth, crosswalk.limits.max-xml-depth)."),
	UNKNOWN_MODIFIER("CW-LIM-009", 400, IssueType.INVALID,
			"Use a modifier FHIR R4 defines for the parameter's type, or none; /fhir/metadata lists each "
					+ "parameter's type."),
	TOO_MANY_ELEMENTS("CW-LIM-010", 413, IssueType.TOOCOSTLY,
			"Send the data as several smaller resources (setting crosswalk.limits.max-elements)."),
	TRANSACTION_TOO_LONG("CW-LIM-011", 503, IssueType.TIMEOUT,
			"Split the bundle into smaller ones and send them one after another (setting "
					+ "crosswalk.limits.max-transaction-time)."),
	MISSING_NOT_SUPPORTED("CW-LIM-012", 400, IssueType.NOTSUPPORTED,
			"Search without :missing and check the element in the results: the server does not index absent "
					+ "values."),
	INVALID_NEAR("CW-LIM-013", 400, IssueType.VALUE,
			"Send near as latitude|longitude in decimal degrees, optionally followed by |distance (0 or more) and "
					+ "|units (a UCUM length such as km).");

	private final Definition definition;

	LimitError(String code, int status, IssueType type, String hint) {
		this.definition = new Definition(code, status, type, hint);
	}

	@Override
	public Definition definition() {
		return this.definition;
	}

}
