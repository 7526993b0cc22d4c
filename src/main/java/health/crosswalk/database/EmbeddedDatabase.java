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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started from the binaries on the classpath, keeping its files in a
 * folder so that data survives a restart.
 */
final class EmbeddedDatabase implements AutoCloseable {

	static final String DATABASE = "crosswalk";

	static final String USER = "postgres";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

	private final EmbeddedPostgres postgres;

	private EmbeddedDatabase(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	static EmbeddedDatabase start(DatabaseProperties.Embedded settings) {
		Path dataDir = settings.dataDir().toAbsolutePath().normalize();
		try {
			Files.createDirectories(dataDir);
			boolean existing = Files.exists(dataDir.resolve("PG_VERSION"));
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(false)
				.setPort(settings.port())
				.setPGStartupWait(settings.startupTimeout())
				// Closed by Spring after the connection pool, not by a JVM shutdown hook.
				.setRegisterShutdownHook(false)
				.setServerConfig("max_connections", "100")
				// Statement statistics, as managed PostgreSQL services keep them: CREATE
				// EXTENSION pg_stat_statements shows what the server spends its time on.
				.setServerConfig("shared_preload_libraries", "pg_stat_statements")
				.setServerConfig("pg_stat_statements.max", "10000")
				.start();
			EmbeddedDatabase database = new EmbeddedDatabase(postgres);
			database.createDatabaseIfMissing();
			log.info("Embedded PostgreSQL (development and single-node use) listening on localhost:{}, {} data in {}",
					postgres.getPort(), existing ? "existing" : "new", dataDir);
			return database;
		}
		catch (IOException | SQLException | RuntimeException ex) {
			throw new EmbeddedDatabaseException(dataDir, ex);
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

	String jdbcUrl() {
		return this.postgres.getJdbcUrl(USER, DATABASE);
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
					+ ". If another Crosswalk is using that folder, stop it or set CROSSWALK_DB_EMBEDDED_DATA_DIR to "
					+ "another folder. Or run on an external PostgreSQL 15 or newer: set "
					+ "CROSSWALK_DB_URL=jdbc:postgresql://<host>:5432/<database>, CROSSWALK_DB_USERNAME and "
					+ "CROSSWALK_DB_PASSWORD.", cause);
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
