package health.crosswalk.audit;

/**
 * Records registry commands run from the jar's command line, which bypass the HTTP API.
 */
public interface CommandLineAudit {

	/**
	 * Records a command before its result is shown.
	 * @param command the command and its options (never a secret)
	 * @param exitCode 0 done, 1 refused, 2 usage error
	 * @param outcome what happened, in a line
	 */
	void record(String command, int exitCode, String outcome);

}
