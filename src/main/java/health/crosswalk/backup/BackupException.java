package health.crosswalk.backup;

/**
 * A backup or a restore drill that could not be done, with the reason and the fix.
 */
final class BackupException extends RuntimeException {

	BackupException(String message) {
		super(message);
	}

}
