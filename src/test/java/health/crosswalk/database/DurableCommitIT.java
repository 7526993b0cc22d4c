package health.crosswalk.database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import health.crosswalk.CrosswalkIntegrationTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A commit reaches the disk before the server answers: the embedded database commits
 * synchronously (its library's default is asynchronous), and a database whose sessions
 * would commit asynchronously is refused at start.
 */
class DurableCommitIT extends CrosswalkIntegrationTest {

	@Test
	void theServersSessionsCommitSynchronously() {
		JdbcTemplate application = context().getBean(JdbcTemplate.class);
		assertThat(application.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
		assertThat(application.queryForObject("SELECT setting FROM pg_settings WHERE name = 'synchronous_commit'",
				String.class))
			.isEqualTo("on");
	}

	@Test
	void aDatabaseThatCommitsAsynchronouslyIsRefusedAtStart() {
		HikariDataSource owner = (HikariDataSource) context().getBean(SchemaOwner.class).dataSource();
		JdbcTemplate ownerJdbc = new JdbcTemplate(owner);
		String role = "cw_async_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String password = UUID.randomUUID().toString();
		try {
			ownerJdbc.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
		}
		catch (DataAccessException ex) {
			Assumptions.abort("needs CREATEROLE on the test database: " + ex.getMessage());
		}
		try {
			ownerJdbc.execute("ALTER ROLE " + role + " SET synchronous_commit = off");
			DatabaseProperties asynchronous = new DatabaseProperties(owner.getJdbcUrl(), role, password, null, null,
					null, false, null, 2, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10),
					new DatabaseProperties.Tls(null, null),
					new DatabaseProperties.Embedded(Path.of("unused"), 0, Duration.ofSeconds(5)));

			assertThatIllegalStateException().isThrownBy(() -> CrosswalkDataSource.create(asynchronous).close())
				.withMessageContaining("synchronous_commit = off")
				.withMessageContaining("ALTER ROLE");
		}
		finally {
			ownerJdbc.execute("DROP ROLE " + role);
		}
	}

}
