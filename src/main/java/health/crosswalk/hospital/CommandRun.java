package health.crosswalk.hospital;

/**
 * Published when a registry command run from the jar's command line has finished, before
 * its result is shown. Listeners run synchronously on the command's thread, so a listener
 * that fails (the audit trail cannot record the command) stops the result from being
 * shown, as an API request's response waits for its audit record.
 *
 * @param command the command and its options (never a secret)
 * @param exitCode 0 done, 1 refused, 2 usage error
 * @param outcome what happened, in a line, with any API key masked
 */
public record CommandRun(String command, int exitCode, String outcome) {
}
