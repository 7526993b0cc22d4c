package health.crosswalk.backup;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's client tools, {@code pg_dump} and {@code pg_restore}, from a configured
 * folder or the {@code PATH}. The embedded PostgreSQL ships only its server, not these.
 * They must be of the server's major version or newer: {@code pg_dump} refuses a newer
 * server.
 */
final class PgTools {

	private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

	/** What a tool wrote to its error stream, kept to this many characters. */
	private static final int MAX_ERRORS = 8000;

	private final Path dump;

	private final Path restore;

	private final int major;

	private PgTools(Path dump, Path restore, int major) {
		this.dump = dump;
		this.restore = restore;
		this.major = major;
	}

	/**
	 * Finds the tools.
	 * @param folder where they are, or null for the {@code PATH}
	 * @param path the {@code PATH}
	 * @return the tools
	 * @throws BackupException when they are missing or unusable
	 */
	static PgTools find(Path folder, String path) {
		Path dump = locate("pg_dump", folder, path);
		Path restore = locate("pg_restore", folder, path);
		String version = run(List.of(dump.toString(), "--version"), Map.of(), "pg_dump --version").strip();
		Matcher matcher = VERSION.matcher(version);
		if (!matcher.find()) {
			throw new BackupException(dump + " --version printed '" + version + "', not a PostgreSQL version");
		}
		return new PgTools(dump, restore, Integer.parseInt(matcher.group(1)));
	}

	private static Path locate(String tool, Path folder, String path) {
		if (folder != null) {
			Path candidate = folder.resolve(tool);
			if (!Files.isExecutable(candidate)) {
				throw new BackupException("crosswalk.backup.pg-bin (CROSSWALK_BACKUP_PG_BIN) is " + folder + ", which "
						+ "has no executable " + tool);
			}
			return candidate;
		}
		for (String entry : (path != null) ? path.split(File.pathSeparator) : new String[0]) {
			if (!entry.isBlank() && Files.isExecutable(Path.of(entry, tool))) {
				return Path.of(entry, tool);
			}
		}
		throw new BackupException(tool + " is not on the PATH: install PostgreSQL's client tools (the package "
				+ "postgresql-client, of the server's major version or newer) or set crosswalk.backup.pg-bin "
				+ "(CROSSWALK_BACKUP_PG_BIN) to the folder holding them");
	}

	int major() {
		return this.major;
	}

	/**
	 * Refuses a server newer than the tools.
	 * @param serverMajor the server's major version
	 */
	void requireAtLeast(int serverMajor) {
		if (this.major < serverMajor) {
			throw new BackupException(this.dump + " is version " + this.major + ", which cannot dump PostgreSQL "
					+ serverMajor + ": install the client tools of version " + serverMajor + " or newer, or set "
					+ "crosswalk.backup.pg-bin (CROSSWALK_BACKUP_PG_BIN) to their folder");
		}
	}

	/**
	 * Dumps both schemas, with their large objects, in the custom format.
	 * @param endpoint where the database is
	 * @param database the database
	 * @param snapshot an exported snapshot the dump reads, so that it sees exactly what
	 * the census counted
	 * @param file where the dump goes
	 */
	void dump(PgEndpoint endpoint, String database, String snapshot, Path file) {
		List<String> command = new ArrayList<>(List.of(this.dump.toString(), "--format=custom", "--blobs",
				"--no-password", "--snapshot=" + snapshot, "--file=" + file));
		for (String schema : Census.SCHEMAS) {
			command.add("--schema=" + schema);
		}
		run(command, endpoint, database, "pg_dump");
	}

	/**
	 * Restores a dump into a new database, stopping at the first error, as the connecting
	 * role (owners and grants of the source left out). {@code --clean} drops the new
	 * database's empty {@code public} schema, which the dump creates.
	 * @param endpoint where the server is
	 * @param database the new database
	 * @param file the dump
	 */
	void restore(PgEndpoint endpoint, String database, Path file) {
		run(List.of(this.restore.toString(), "--exit-on-error", "--clean", "--if-exists", "--no-owner",
				"--no-privileges", "--no-password", "--dbname=" + database, file.toString()), endpoint, database,
				"pg_restore");
	}

	private static String run(List<String> command, Map<String, String> environment, String what) {
		return run(command, environment, null, what);
	}

	/**
	 * Runs a tool against a database with libpq's settings from the endpoint only: none
	 * inherited from this process's environment (PGHOST, PGSERVICE, PGOPTIONS... could
	 * send it elsewhere), the password in a file only the owner reads, never on a command
	 * line or in the environment.
	 */
	private static String run(List<String> command, PgEndpoint endpoint, String database, String what) {
		try {
			Path passwords = Files.createTempFile("crosswalk-pgpass", "",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			try {
				Files
					.writeString(passwords,
							"*:*:*:*:"
									+ (endpoint.password() != null
											? endpoint.password().replace("\\", "\\\\").replace(":", "\\:") : "")
									+ "\n");
				Map<String, String> environment = endpoint.environment(database);
				environment.put("PGPASSFILE", passwords.toString());
				return run(command, environment, passwords, what);
			}
			finally {
				Files.deleteIfExists(passwords);
			}
		}
		catch (IOException ex) {
			throw new BackupException(what + " could not run: " + ex.getMessage());
		}
	}

	private static String run(List<String> command, Map<String, String> environment, Path passwords, String what) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(devNull()));
		builder.environment().keySet().removeIf((name) -> name.startsWith("PG"));
		builder.environment().putAll(environment);
		try {
			Path errors = Files.createTempFile("crosswalk-" + what.replace(' ', '-'), ".log");
			try {
				builder.redirectError(errors.toFile());
				Process process = builder.start();
				String output;
				try (InputStream stdout = process.getInputStream()) {
					output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
				}
				if (!process.waitFor(24, TimeUnit.HOURS)) {
					process.destroyForcibly();
					throw new BackupException(what + " did not end within 24 hours");
				}
				if (process.exitValue() != 0) {
					throw new BackupException(what + " failed (exit code " + process.exitValue() + "): "
							+ tail(Files.readString(errors, StandardCharsets.UTF_8)).strip());
				}
				return output;
			}
			finally {
				Files.deleteIfExists(errors);
			}
		}
		catch (IOException ex) {
			throw new BackupException(what + " could not run: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackupException(what + " was interrupted");
		}
	}

	private static String tail(String errors) {
		return (errors.length() <= MAX_ERRORS) ? errors : "..." + errors.substring(errors.length() - MAX_ERRORS);
	}

	private static File devNull() {
		return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
	}

}
