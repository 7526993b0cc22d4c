package health.crosswalk.linkage;

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

	enum Kind {

		INVALID("CW-LINK-002", 400), NOT_FOUND("CW-LINK-003", 404), CONFLICT("CW-LINK-004", 409);

		private final String code;

		private final int status;

		Kind(String code, int status) {
			this.code = code;
			this.status = status;
		}

		String code() {
			return this.code;
		}

		int status() {
			return this.status;
		}

	}

}
