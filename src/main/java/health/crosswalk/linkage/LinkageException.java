package health.crosswalk.linkage;

import health.crosswalk.server.CrosswalkError;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A steward's request that cannot be carried out.
 */
final class LinkageException extends RuntimeException {

	private final Kind kind;

	LinkageException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	Kind kind() {
		return this.kind;
	}

	enum Kind implements CrosswalkError {

		INVALID("CW-LINK-005", 400, IssueType.INVALID, "Every decision needs a reason; check the UPIs and ids."),
		NOT_FOUND("CW-LINK-006", 404, IssueType.NOTFOUND,
				"Check the hospital slug, the Patient id, the UPI or the review item id."),
		CONFLICT("CW-LINK-004", 409, IssueType.CONFLICT,
				"List open review items with GET /admin/linkage/reviews; a resolved item stays resolved.");

		private final Definition definition;

		Kind(String code, int status, IssueType type, String hint) {
			this.definition = new Definition(code, status, type, hint);
		}

		@Override
		public Definition definition() {
			return this.definition;
		}

	}

}
