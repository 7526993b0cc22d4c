package health.crosswalk.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrationStorageSvc;
import ca.uhn.fhir.jpa.migrate.MigrationTaskList;
import ca.uhn.fhir.jpa.migrate.dao.HapiMigrationDao;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

import org.springframework.boot.autoconfigure.flyway.FlywayProperties;

/**
 * Where both schemas stand, read without changing anything: Crosswalk's Flyway history
 * ({@code crosswalk.flyway_schema_history}) against the migrations in the jar, and HAPI's
 * ({@code FLY_HFJ_MIGRATION}) against the tasks of the HAPI version in the jar, less the
 * heavyweight tasks HAPI's migrator skips.
 *
 * @param flywayVersion Crosswalk's schema version, or null before the first migration
 * @param flywayPending Crosswalk's migrations not applied yet
 * @param hapiVersion the last HAPI task applied, or null before the first
 * @param hapiPending HAPI's tasks not applied yet
 * @param hapiTasks HAPI's tasks in all
 */
record SchemaStatus(String flywayVersion, List<String> flywayPending, String hapiVersion, int hapiPending,
		int hapiTasks) {

	static SchemaStatus of(DataSource owner, FlywayProperties flyway) {
		MigrationInfoService info = Flyway.configure()
			.dataSource(owner)
			.schemas(flyway.getSchemas().toArray(String[]::new))
			.defaultSchema(flyway.getDefaultSchema())
			.locations(flyway.getLocations().toArray(String[]::new))
			.table(flyway.getTable())
			.load()
			.info();
		MigrationInfo current = info.current();
		List<String> pending = Arrays.stream(info.pending())
			.map((migration) -> migration.getVersion() + " " + migration.getDescription())
			.toList();
		MigrationTaskList tasks = new MigrationTaskList();
		tasks.append(new HapiFhirJpaMigrationTasks(Collections.emptySet()).getAllTasks(VersionEnum.values()));
		MigrationTaskList run = tasks.getUnskippableTasks();
		if (!exists(owner, HapiSchemaMigration.HISTORY_TABLE)) {
			return new SchemaStatus((current != null) ? current.getVersion().toString() : null, pending, null,
					run.size(), run.size());
		}
		HapiMigrationStorageSvc history = new HapiMigrationStorageSvc(
				new HapiMigrationDao(owner, DriverTypeEnum.POSTGRES_9_4, HapiSchemaMigration.HISTORY_TABLE));
		return new SchemaStatus((current != null) ? current.getVersion().toString() : null, pending,
				history.getLatestAppliedVersion(), history.diff(run).size(), run.size());
	}

	boolean upToDate() {
		return this.flywayPending.isEmpty() && this.hapiPending == 0;
	}

	String describe() {
		StringBuilder text = new StringBuilder();
		text.append("Crosswalk (Flyway, schema crosswalk): ")
			.append((this.flywayVersion != null) ? "version " + this.flywayVersion : "not created yet")
			.append(", ")
			.append(this.flywayPending.size())
			.append(" pending\n");
		this.flywayPending.forEach((migration) -> text.append("  pending ").append(migration).append('\n'));
		text.append("HAPI FHIR (FLY_HFJ_MIGRATION, schema public): ")
			.append((this.hapiVersion != null) ? "last task " + this.hapiVersion : "not created yet")
			.append(", ")
			.append(this.hapiPending)
			.append(" of ")
			.append(this.hapiTasks)
			.append(" tasks pending\n");
		text.append(upToDate() ? "Up to date.\n"
				: "Pending migrations: run 'java -jar crosswalk.jar db migrate' (or start the server).\n");
		return text.toString();
	}

	/** HAPI creates its history table in the owner's schema, in whichever case. */
	private static boolean exists(DataSource owner, String table) {
		try (Connection connection = owner.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM "
						+ "information_schema.tables WHERE table_schema = current_schema() AND lower(table_name) = ?")) {
			statement.setString(1, table.toLowerCase(Locale.ROOT));
			try (ResultSet found = statement.executeQuery()) {
				return found.next() && found.getInt(1) > 0;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the database: " + ex.getMessage(), ex);
		}
	}

}
