package health.crosswalk.storage;

import health.crosswalk.CrosswalkIntegrationTest;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The schema is owned by migrations: HAPI's migrator for HAPI's tables, Flyway for
 * Crosswalk's own schema, and Hibernate only validates.
 */
class SchemaMigrationIT extends CrosswalkIntegrationTest {

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private EntityManagerFactory entityManagerFactory;

	@Test
	void hapiMigratorOwnsHapisTables() {
		Integer succeeded = this.jdbc.queryForObject("SELECT count(*) FROM public.\"FLY_HFJ_MIGRATION\" WHERE success",
				Integer.class);
		Integer failed = this.jdbc.queryForObject("SELECT count(*) FROM public.\"FLY_HFJ_MIGRATION\" WHERE NOT success",
				Integer.class);
		assertThat(succeeded).isGreaterThan(100);
		assertThat(failed).isZero();
		assertThat(this.jdbc.queryForObject("SELECT to_regclass('public.hfj_resource') IS NOT NULL", Boolean.class))
			.isTrue();
	}

	@Test
	void hibernateOnlyValidates() {
		assertThat(this.entityManagerFactory.getProperties()).containsEntry("hibernate.hbm2ddl.auto", "validate");
	}

	@Test
	void flywayOwnsCrosswalksSchema() {
		assertThat(this.jdbc
			.queryForList("SELECT version FROM crosswalk.flyway_schema_history WHERE success AND version IS NOT NULL "
					+ "ORDER BY installed_rank", String.class))
			.startsWith("1");
		assertThat(this.jdbc.queryForObject("SELECT to_regclass('crosswalk.hospital') IS NOT NULL", Boolean.class))
			.isTrue();
		assertThat(this.jdbc.queryForObject("SELECT to_regclass('public.hospital') IS NULL", Boolean.class)).isTrue();
	}

	@Test
	void hospitalTableEnforcesItsInvariants() {
		String slug = unique("h").substring(0, 20);
		this.jdbc.update("INSERT INTO crosswalk.hospital (slug, name) VALUES (?, ?)", slug, "St Elsewhere");

		assertThatExceptionOfType(DataIntegrityViolationException.class).as("slugs are unique")
			.isThrownBy(() -> this.jdbc.update("INSERT INTO crosswalk.hospital (slug, name) VALUES (?, ?)", slug,
					"Another"));
		assertThatExceptionOfType(DataIntegrityViolationException.class).as("slugs are lower-case words")
			.isThrownBy(() -> this.jdbc.update("INSERT INTO crosswalk.hospital (slug, name) VALUES (?, ?)",
					"Not A Slug", "Bad"));
		assertThatExceptionOfType(DataIntegrityViolationException.class).as("status is active or suspended")
			.isThrownBy(() -> this.jdbc.update("INSERT INTO crosswalk.hospital (slug, name, status) VALUES (?, ?, ?)",
					unique("h").substring(0, 20), "Bad", "closed"));
	}

}
