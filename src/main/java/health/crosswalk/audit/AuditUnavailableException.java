package health.crosswalk.audit;

/**
 * An audit record could not be made durable; the request it records must not be answered
 * with data.
 */
final class AuditUnavailableException extends RuntimeException {

	AuditUnavailableException(String message) {
		super(message);
	}

}
