package health.crosswalk.audit;

import java.util.List;

import health.crosswalk.hospital.CommandRun;

import org.springframework.context.event.EventListener;

/**
 * Records command-line registry commands as administrative AuditEvents, committed at once
 * (the command line runs without the group commit), creating the month's partition first.
 */
final class CommandLineRecorder {

	private final AuditEventFactory factory;

	private final AuditStore store;

	CommandLineRecorder(AuditEventFactory factory, AuditStore store) {
		this.factory = factory;
		this.store = store;
	}

	@EventListener
	void commandRun(CommandRun run) {
		record(run.command(), run.exitCode(), run.outcome());
	}

	/**
	 * Records a command before its result is shown.
	 * @param command the command and its options (never a secret)
	 * @param exitCode 0 done, 1 refused, 2 usage error
	 * @param outcome what happened, in a line
	 */
	void record(String command, int exitCode, String outcome) {
		AuditFacts facts = new AuditFacts();
		facts.kind = AuditFacts.Kind.ADMIN;
		String[] words = command.split("\\s+");
		String verb = (words.length >= 2) ? words[0] + " " + words[1] : command;
		facts.interaction("command line: " + Interactions.clean(verb), actionOf(verb));
		facts.adminPath = Interactions.clean(command);
		facts.requester = "command line, operating-system user " + System.getProperty("user.name");
		facts.status = switch (exitCode) {
			case 0 -> 200;
			case 2 -> 400;
			default -> 409;
		};
		facts.outcomeDescription = Interactions.clean(facts.status + ": " + outcome);
		List<AuditRow> rows = this.factory.rows(facts, System.currentTimeMillis());
		// The command line may run before any server has started on this database: its
		// record must land in its month's partition, as the server's would.
		this.store.ensurePartitions(AuditStore.utcToday(), AuditMaintenance.PARTITION_MONTHS_AHEAD);
		this.store.appendInCurrentTransaction(rows);
	}

	private static char actionOf(String verb) {
		if (verb.endsWith("create")) {
			return 'C';
		}
		if (verb.endsWith("list") || verb.endsWith("show")) {
			return 'R';
		}
		return 'U';
	}

}
