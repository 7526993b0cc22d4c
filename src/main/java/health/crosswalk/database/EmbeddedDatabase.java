package health.crosswalk.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started from the binaries on the classpath, keeping its files in a
 * folder so that data survives a restart.
 *
 * <p>
 * Every connection needs a password, even from this machine: the superuser's and the
 * application role's are generated at the first start and kept, readable by the owner
 * only, in {@code <data folder>.credentials} next to the data folder. The server connects
 * as the application role {@value #APPLICATION_USER}, which is no superuser and owns
 * nothing; migrations run as the superuser. A data folder made before passwords were
 * required gets them at its next start.
 */
final class EmbeddedDatabase implements AutoCloseable {

	static final String DATABASE = "crosswalk";

	/** The major version of the PostgreSQL binaries the build embeds (see pom.xml). */
	static final String MAJOR_VERSION = "15";

	static final String SUPERUSER = "postgres";

	static final String APPLICATION_USER = "crosswalk_app";

	private static final String SCRAM = "scram-sha-256";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

	private final EmbeddedPostgres postgres;

	private final Credentials credentials;

	private EmbeddedDatabase(EmbeddedPostgres postgres, Credentials credentials) {
		this.postgres = postgres;
		this.credentials = credentials;
	}

	static EmbeddedDatabase start(DatabaseProperties.Embedded settings) {
		Path dataDir = settings.dataDir().toAbsolutePath().normalize();
		try {
			Files.createDirectories(dataDir);
			boolean existing = Files.exists(dataDir.resolve("PG_VERSION"));
			Path credentialsFile = credentialsFile(dataDir);
			if (existing && !Files.exists(credentialsFile) && !trusting(dataDir)) {
				throw new IOException("the data folder asks for passwords, but their file " + credentialsFile
						+ " is missing; restore it from the backup of the data folder");
			}
			Credentials credentials = Credentials.loadOrCreate(credentialsFile);
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
			Path passwordFile = null;
			if (!existing) {
				// initdb's own options, after the builder's "-A trust": the superuser has
				// a password and every connection must
				// give one from the first start on.
				passwordFile = Files.createTempFile("crosswalk-initdb", ".pw");
				Files.writeString(passwordFile, credentials.superuserPassword());
				builder.setLocaleConfig("auth", SCRAM).setLocaleConfig("pwfile", passwordFile.toString());
			}
			EmbeddedPostgres postgres;
			try {
				postgres = builder.setDataDirectory(dataDir)
					.setCleanDataDirectory(false)
					.setPort(settings.port())
					.setPGStartupWait(settings.startupTimeout())
					// Closed by Spring after the connection pool,
					// not by a JVM shutdown hook.
					.setRegisterShutdownHook(false)
					.setServerConfig("max_connections", "100")
					// The library's default is off; a commit must be on disk before
					// the response (and its audit record) leaves.
					.setServerConfig("synchronous_commit", "on")
					// Statement statistics, as managed PostgreSQL
					// services keep them: CREATE EXTENSION
					// pg_stat_statements shows what the server
					// spends its time on.
					.setServerConfig("shared_preload_libraries", "pg_stat_statements")
					.setServerConfig("pg_stat_statements.max", "10000")
					.setConnectConfig("password", credentials.superuserPassword())
					.start();
			}
			finally {
				if (passwordFile != null) {
					Files.deleteIfExists(passwordFile);
				}
			}
			EmbeddedDatabase database = new EmbeddedDatabase(postgres, credentials);
			database.requirePasswords(dataDir);
			database.createDatabaseIfMissing();
			database.createApplicationRole();
			log.info("Embedded PostgreSQL (development and single-node use) listening on localhost:{}, {} data in {}",
					postgres.getPort(), existing ? "existing" : "new", dataDir);
			return database;
		}
		catch (IOException | SQLException | RuntimeException ex) {
			throw new EmbeddedDatabaseException(dataDir, ex);
		}
	}

	private static String madeBy(Path dataDir) {
		try {
			String version = Files.readString(dataDir.resolve("PG_VERSION")).strip();
			return version.equals(MAJOR_VERSION) ? null : version;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private void createDatabaseIfMissing() throws SQLException {
		try (Connection connection = this.postgres.getPostgresDatabase().getConnection();
				PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			exists.setString(1, DATABASE);
			try (ResultSet rows = exists.executeQuery()) {
				if (!rows.next()) {
					try (Statement create = connection.createStatement()) {
						create.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
					}
				}
			}
		}
	}

	/**
	 * Gives the superuser its password and requires one for every connection, for a data
	 * folder made before passwords were required (initdb's "trust").
	 */
	private void requirePasswords(Path dataDir) throws IOException, SQLException {
		if (!trusting(dataDir)) {
			return;
		}
		Path hba = dataDir.resolve("pg_hba.conf");
		try (Connection connection = this.postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			setPassword(connection, SUPERUSER, this.credentials.superuserPassword());
			Files.writeString(hba, "# Written by Crosswalk: every connection gives a password.\n" + "local all all "
					+ SCRAM + "\nhost all all 127.0.0.1/32 " + SCRAM + "\nhost all all ::1/128 " + SCRAM + "\n");
			statement.execute("SELECT pg_reload_conf()");
		}
		log.info("Embedded PostgreSQL in {} now requires a password for every connection", dataDir);
	}

	private static boolean trusting(Path dataDir) throws IOException {
		return Files.readAllLines(dataDir.resolve("pg_hba.conf"))
			.stream()
			.map(String::strip)
			.anyMatch((line) -> !line.startsWith("#") && line.endsWith(" trust"));
	}

	private void createApplicationRole() throws SQLException {
		try (Connection connection = this.postgres.getPostgresDatabase().getConnection();
				PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
			exists.setString(1, APPLICATION_USER);
			boolean present;
			try (ResultSet rows = exists.executeQuery()) {
				present = rows.next();
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute((present ? "ALTER ROLE " : "CREATE ROLE ") + APPLICATION_USER
						+ " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION");
			}
			setPassword(connection, APPLICATION_USER, this.credentials.applicationPassword());
		}
	}

	/**
	 * Sets a password hashed on this side (SCRAM), so that it appears in no SQL text, log
	 * or statement statistics.
	 */
	static void setPassword(Connection connection, String role, String password) throws SQLException {
		connection.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), SCRAM);
	}

	static Path credentialsFile(Path dataDir) {
		return dataDir.resolveSibling(dataDir.getFileName() + ".credentials");
	}

	/**
	 * The database's URL, naming no user: the pools give theirs.
	 * @return the JDBC URL
	 */
	String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/" + DATABASE;
	}

	String superuserPassword() {
		return this.credentials.superuserPassword();
	}

	String applicationPassword() {
		return this.credentials.applicationPassword();
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

	/**
	 * The embedded PostgreSQL did not start; says why and how to use an external one.
	 */
	static final class EmbeddedDatabaseException extends IllegalStateException {

		EmbeddedDatabaseException(Path dataDir, Exception cause) {
			super("The embedded PostgreSQL could not start with its data in " + dataDir + ": " + rootMessage(cause)
					+ otherVersion(dataDir)
					+ ". If another Crosswalk is using that folder, stop it or set CROSSWALK_DB_EMBEDDED_DATA_DIR to "
					+ "another folder. Or run on an external PostgreSQL 15 or newer: set "
					+ "CROSSWALK_DB_URL=jdbc:postgresql://<host>:5432/<database>, CROSSWALK_DB_USERNAME and "
					+ "CROSSWALK_DB_PASSWORD.", cause);
		}

		/** PostgreSQL opens only a data folder of its own major version. */
		private static String otherVersion(Path dataDir) {
			String version = madeBy(dataDir);
			return (version == null) ? ""
					: " (the folder was made by PostgreSQL " + version + ", and this build embeds PostgreSQL "
							+ MAJOR_VERSION + ": move it aside to start afresh; to keep its data, serve the folder "
							+ "with a PostgreSQL " + version + " and point CROSSWALK_DB_URL at that)";
		}

		private static String rootMessage(Throwable ex) {
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			return root.getClass().getSimpleName() + ": " + root.getMessage();
		}

	}

}
