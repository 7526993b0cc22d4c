package health.crosswalk.database;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DatabasePropertiesTest {

	private static final DatabaseProperties.Tls NO_TLS = new DatabaseProperties.Tls(null, null);

	private static final DatabaseProperties.Embedded EMBEDDED = new DatabaseProperties.Embedded(
			Path.of("data/postgres"), 0, Duration.ofSeconds(60));

	private static final Duration MINUTE = Duration.ofMinutes(1);

	@Test
	void noUrlMeansEmbedded() {
		assertThat(properties(null).isExternal()).isFalse();
		assertThat(properties("").isExternal()).isFalse();
		assertThat(properties("  ").isExternal()).isFalse();
	}

	@Test
	void postgresUrlMeansExternal() {
		assertThat(properties("jdbc:postgresql://db:5432/crosswalk").isExternal()).isTrue();
	}

	@Test
	void refusesOtherDatabasesWithTheSettingToFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties("jdbc:h2:mem:test"))
			.withMessageContaining("CROSSWALK_DB_URL")
			.withMessageContaining("jdbc:h2:mem:test");
	}

	@Test
	void refusesAPoolTooSmallForHapi() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DatabaseProperties(null, null, null, null, null, null, false, null, 1,
					Duration.ofSeconds(10), MINUTE, MINUTE, NO_TLS, EMBEDDED))
			.withMessageContaining("CROSSWALK_DB_POOL_SIZE");
	}

	@Test
	void refusesATimeoutThatDoesNotBoundTheWork() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DatabaseProperties(null, null, null, null, null, null, false, null, 10, MINUTE,
					Duration.ZERO, MINUTE, NO_TLS, EMBEDDED))
			.withMessageContaining("CROSSWALK_DB_STATEMENT_TIMEOUT");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DatabaseProperties(null, null, null, null, null, null, false, null, 10, MINUTE,
					MINUTE, Duration.ofHours(2), NO_TLS, EMBEDDED))
			.withMessageContaining("CROSSWALK_DB_IDLE_IN_TRANSACTION_TIMEOUT");
	}

	@Test
	void theTimeoutsReachEverySessionAsStartupOptions() {
		assertThat(CrosswalkDataSource.sessionOptions(new DatabaseProperties(null, null, null, null, null, null, false,
				null, 10, MINUTE, Duration.ofSeconds(30), Duration.ofMillis(1500), NO_TLS, EMBEDDED)))
			.isEqualTo("-c statement_timeout=30000 -c idle_in_transaction_session_timeout=1500");
	}

	@Test
	void tlsSettingsReachAnExternalDatabasesConnectionsAndBadOnesAreRefused() throws Exception {
		java.nio.file.Path ca = java.nio.file.Files.createTempFile("root", ".crt");
		DatabaseProperties external = new DatabaseProperties("jdbc:postgresql://db.example.org/crosswalk", "u", "p",
				null, null, null, false, null, 10, Duration.ofSeconds(10), MINUTE, MINUTE,
				new DatabaseProperties.Tls("verify-full", ca), EMBEDDED);
		java.util.Properties connection = CrosswalkDataSource.connections(external, null, "test", false)
			.getDataSourceProperties();
		assertThat(connection).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", ca.toString());
		assertThat(CrosswalkDataSource
			.connections(properties("jdbc:postgresql://db.example.org/crosswalk"), null, "test", false)
			.getDataSourceProperties()).doesNotContainKeys("sslmode", "sslrootcert");

		assertThatIllegalArgumentException().isThrownBy(() -> new DatabaseProperties.Tls("verify", null))
			.withMessageContaining("CROSSWALK_DB_TLS_MODE");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DatabaseProperties.Tls("verify-ca", ca.resolveSibling("missing-" + ca.getFileName())))
			.withMessageContaining("CROSSWALK_DB_TLS_ROOT_CERT");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DatabaseProperties("jdbc:postgresql://db.example.org/crosswalk?sslmode=prefer", "u",
					"p", null, null, null, false, null, 10, Duration.ofSeconds(10), MINUTE, MINUTE,
					new DatabaseProperties.Tls("verify-full", ca), EMBEDDED))
			.withMessageContaining("one place");
		java.nio.file.Files.delete(ca);
	}

	@Test
	void behindATransactionPoolerSessionsKeepNoStateAndTheOwnerGoesToPostgresqlItself() {
		DatabaseProperties pooled = new DatabaseProperties("jdbc:postgresql://pgbouncer:6432/crosswalk", "app", "p",
				"owner", "q", "jdbc:postgresql://postgres:5432/crosswalk", true, null, 10, Duration.ofSeconds(10),
				MINUTE, MINUTE, NO_TLS, EMBEDDED);

		com.zaxxer.hikari.HikariConfig application = CrosswalkDataSource.connections(pooled, null, "test", false);
		assertThat(application.getJdbcUrl()).isEqualTo("jdbc:postgresql://pgbouncer:6432/crosswalk");
		assertThat(application.getDataSourceProperties()).containsEntry("prepareThreshold", "0")
			.doesNotContainKeys("currentSchema", "options");
		com.zaxxer.hikari.HikariConfig owner = CrosswalkDataSource.connections(pooled, null, "test", true);
		assertThat(owner.getJdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/crosswalk");
		assertThat(owner.getUsername()).isEqualTo("owner");
		assertThat(owner.getDataSourceProperties()).containsEntry("currentSchema", "public")
			.doesNotContainKey("prepareThreshold");
		assertThat(CrosswalkDataSource.sessionDefaults(pooled)).containsEntry("statement_timeout", "60000ms")
			.containsEntry("idle_in_transaction_session_timeout", "60000ms")
			.containsEntry("search_path", "public");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DatabaseProperties("jdbc:postgresql://pgbouncer:6432/crosswalk", "app", "p", "owner",
					"q", null, true, null, 10, Duration.ofSeconds(10), MINUTE, MINUTE, NO_TLS, EMBEDDED))
			.withMessageContaining("crosswalk.db.owner-url to name PostgreSQL itself");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DatabaseProperties("jdbc:postgresql://pgbouncer:6432/crosswalk", "app", "p", null,
					null, "jdbc:postgresql://postgres:5432/crosswalk", true, null, 10, Duration.ofSeconds(10), MINUTE,
					MINUTE, NO_TLS, EMBEDDED))
			.withMessageContaining("separate owner role");
	}

	private static DatabaseProperties properties(String url) {
		return new DatabaseProperties(url, "u", "p", null, null, null, false, null, 10, Duration.ofSeconds(10), MINUTE,
				MINUTE, NO_TLS, EMBEDDED);
	}

}
