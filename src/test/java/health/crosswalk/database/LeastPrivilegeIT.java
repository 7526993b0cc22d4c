package health.crosswalk.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import health.crosswalk.CrosswalkIntegrationTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The embedded database asks every connection for a password, kept next to its data
 * folder for its owner only, and the server connects as an application role that is no
 * superuser, owns nothing and can only read and append to the audit trail.
 */
class LeastPrivilegeIT extends CrosswalkIntegrationTest {

	@TempDir
	Path temp;

	private JdbcTemplate application;

	@BeforeEach
	void embeddedOnly() {
		assumeThat(context().getBean(DatabaseInfo.class).isEmbedded()).as("the embedded database's own roles").isTrue();
		this.application = context().getBean(JdbcTemplate.class);
	}

	@Test
	void theServerConnectsAsAnApplicationRoleThatOwnsNothing() {
		assertThat(this.application.queryForObject("SELECT current_user", String.class))
			.isEqualTo(EmbeddedDatabase.APPLICATION_USER);
		assertThat(this.application.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
				Boolean.class))
			.isFalse();
		assertThat(this.application.queryForObject("SELECT count(*) FROM pg_class c JOIN pg_namespace n "
				+ "ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'crosswalk') "
				+ "AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)", Long.class))
			.isZero();
		for (String change : new String[] { "UPDATE crosswalk.audit_event SET outcome = 0",
				"DELETE FROM crosswalk.audit_seal", "TRUNCATE crosswalk.audit_event",
				"UPDATE crosswalk.audit_dictionary SET dictionary = ''",
				"INSERT INTO crosswalk.audit_dictionary VALUES (99, '')",
				"ALTER TABLE crosswalk.audit_event DISABLE TRIGGER ALL", "SET session_replication_role = replica",
				"CREATE TABLE crosswalk.intruder (id int)" }) {
			assertThatExceptionOfType(DataAccessException.class).as(change)
				.isThrownBy(() -> this.application.execute(change))
				.havingRootCause()
				.withMessageMatching("(?s).*(permission denied|must be owner).*");
		}
	}

	@Test
	void theApplicationRoleCreatesAuditPartitionsOnlyThroughTheOwnersFunction() {
		this.application.execute("SELECT crosswalk.ensure_audit_partition(date '2099-03-01')");
		assertThat(this.application.queryForObject(
				"SELECT r.rolname FROM pg_class c JOIN pg_roles r "
						+ "ON r.oid = c.relowner WHERE c.oid = 'crosswalk.audit_event_y2099m03'::regclass",
				String.class))
			.isEqualTo(EmbeddedDatabase.SUPERUSER);
	}

	@Test
	void everyConnectionNeedsThePasswordKeptForItsOwnerOnly() throws Exception {
		HikariDataSource pool = context().getBean(HikariDataSource.class);
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(pool.getJdbcUrl(), EmbeddedDatabase.SUPERUSER, "").close());
		assertThatExceptionOfType(SQLException.class).isThrownBy(
				() -> DriverManager.getConnection(pool.getJdbcUrl(), EmbeddedDatabase.SUPERUSER, "wrong").close());
		Path credentials = Path.of("target", "it-postgres.credentials");
		assertThat(credentials).exists();
		assertThat(Files.getPosixFilePermissions(credentials)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);
	}

	@Test
	void aDataFolderMadeBeforePasswordsGetsThemAtItsNextStart() throws Exception {
		Path dataDir = this.temp.resolve("postgres");
		// As earlier versions made it: initdb's "trust", no password.
		try (EmbeddedPostgres old = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.start(); Connection connection = old.getPostgresDatabase().getConnection()) {
			assertThat(connection.isValid(5)).isTrue();
		}
		try (EmbeddedDatabase database = EmbeddedDatabase
			.start(new DatabaseProperties.Embedded(dataDir, 0, Duration.ofSeconds(60)))) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(
					() -> DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.SUPERUSER, "").close());
			try (Connection application = DriverManager.getConnection(
					database.jdbcUrl()
						.replace("user=" + EmbeddedDatabase.SUPERUSER, "user=" + EmbeddedDatabase.APPLICATION_USER),
					EmbeddedDatabase.APPLICATION_USER, database.applicationPassword());
					Statement statement = application.createStatement()) {
				assertThat(statement.executeQuery("SELECT 1").next()).isTrue();
			}
		}
		assertThat(Set.copyOf(Files.readAllLines(dataDir.resolve("pg_hba.conf"))))
			.noneMatch((line) -> line.endsWith("trust"));

		// Without its passwords the folder cannot be used:
		// said at once, not as a failed login.
		Files.delete(EmbeddedDatabase.credentialsFile(dataDir));
		assertThatExceptionOfType(EmbeddedDatabase.EmbeddedDatabaseException.class)
			.isThrownBy(
					() -> EmbeddedDatabase.start(new DatabaseProperties.Embedded(dataDir, 0, Duration.ofSeconds(60))))
			.withMessageContaining("postgres.credentials is missing");
	}

}
