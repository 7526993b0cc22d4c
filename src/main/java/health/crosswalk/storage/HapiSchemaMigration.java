package health.crosswalk.storage;

import java.util.Collections;

import javax.sql.DataSource;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings HAPI's tables to the schema of the HAPI version on the classpath, with HAPI's
 * own migrator, before Hibernate validates them. An empty database is initialised in one
 * step; an existing one gets only the tasks it has not run. A lock row in the history
 * table keeps two servers from migrating at once. Then {@link LinkUrlIndex} narrows one
 * of HAPI's indexes to the rows it serves, {@link TokenIdentityIndex} another to the
 * columns it is looked up by, and {@link LinkTargetIndex} adds one of Crosswalk's for a
 * patient's compartment.
 */
final class HapiSchemaMigration {

	static final String HISTORY_TABLE = "FLY_HFJ_MIGRATION";

	private static final Logger log = LoggerFactory.getLogger(HapiSchemaMigration.class);

	private HapiSchemaMigration() {
	}

	static HapiSchemaMigration run(DataSource dataSource) {
		long start = System.nanoTime();
		HapiMigrator migrator = new HapiMigrator(HISTORY_TABLE, dataSource, DriverTypeEnum.POSTGRES_9_4);
		migrator.addTasks(new HapiFhirJpaMigrationTasks(Collections.emptySet()).getAllTasks(VersionEnum.values()));
		migrator.createMigrationTableIfRequired();
		MigrationResult result = migrator.migrate();
		log.info("HAPI schema migrated in {} ms: {} tasks ran, {} failed", (System.nanoTime() - start) / 1_000_000,
				result.succeededTasks.size(), result.failedTasks.size());
		LinkUrlIndex.narrow(dataSource);
		TokenIdentityIndex.narrow(dataSource);
		LinkTargetIndex.create(dataSource);
		return new HapiSchemaMigration();
	}

}
