package health.crosswalk.storage;

import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.database.SchemaOwner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.flyway.FlywayProperties;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code db status} reads: the server's own database is up to date in both
 * histories, and a schema never migrated has every Crosswalk migration pending, read
 * without creating anything.
 */
class SchemaStatusIT extends CrosswalkIntegrationTest {

	@Test
	void theServersDatabaseIsUpToDateAndAnEmptySchemaHasEveryMigrationPending() throws Exception {
		DataSource owner = context().getBean(SchemaOwner.class).dataSource();
		FlywayProperties flyway = DatabaseCommandLine.flyway(context().getEnvironment());
		int migrations = new PathMatchingResourcePatternResolver().getResources("classpath:db/crosswalk/V*.sql").length;

		SchemaStatus status = SchemaStatus.of(owner, flyway);
		assertThat(status.upToDate()).as(status.describe()).isTrue();
		assertThat(status.flywayVersion()).isEqualTo(String.valueOf(migrations));
		assertThat(status.hapiVersion()).isNotNull();
		assertThat(status.hapiTasks()).isGreaterThan(100);
		assertThat(status.describe()).contains("version " + migrations, "0 pending", "Up to date.");

		String schema = "status_" + UUID.randomUUID().toString().replace("-", "");
		flyway.setSchemas(List.of(schema));
		flyway.setDefaultSchema(schema);
		SchemaStatus fresh = SchemaStatus.of(owner, flyway);
		assertThat(fresh.upToDate()).isFalse();
		assertThat(fresh.flywayVersion()).isNull();
		assertThat(fresh.flywayPending()).hasSize(migrations);
		assertThat(fresh.describe()).contains("not created yet", migrations + " pending", "db migrate");
		assertThat(new JdbcTemplate(owner).queryForObject(
				"SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", Integer.class, schema))
			.as("status creates nothing")
			.isZero();
	}

}
