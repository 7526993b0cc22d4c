package health.crosswalk.storage;

import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Crosswalk's index of references by target and source is there after a start, HAPI's
 * query for a patient's compartment is planned on it, and a missing index or one left
 * invalid by an interrupted build is built at the next start.
 */
class LinkTargetIndexIT extends CrosswalkIntegrationTest {

	@Test
	void aPatientsCompartmentIsReadThroughTheIndex() {
		JdbcTemplate owner = owner();
		assertThat(definition(owner)).endsWith("(target_resource_id, src_resource_id, partition_id)");
		Reference patient = newPatient(client());
		for (int i = 0; i < 3; i++) {
			newObservation(client(), patient);
		}
		long pid = owner.queryForObject("SELECT res_id FROM hfj_resource WHERE res_type = 'Patient' AND fhir_id = ?",
				Long.class, patient.getReferenceElement().getIdPart());

		// HAPI 8.8's query for the first page of Patient/[id]/$everything, planned as on
		// tables too large to scan or sort whole (the test's are small).
		String plan = IndexDefinitions.plan(owner,
				"SELECT DISTINCT t0.PARTITION_ID,t0.SRC_RESOURCE_ID "
						+ "FROM HFJ_RES_LINK t0 INNER JOIN HFJ_RESOURCE t1 ON (t0.SRC_RESOURCE_ID = t1.RES_ID) "
						+ "WHERE ((t0.TARGET_RESOURCE_ID = " + pid + ") AND (t1.RES_DELETED_AT IS NULL) "
						+ "AND (NOT (t1.RES_TYPE IN ('Patient','Group') ))) "
						+ "GROUP BY t0.PARTITION_ID,t0.SRC_RESOURCE_ID ORDER BY t0.SRC_RESOURCE_ID "
						+ "fetch first 21 rows only",
				"enable_sort = off");
		assertThat(plan).contains(LinkTargetIndex.NAME);
		assertThat(owner.queryForObject(
				"SELECT count(DISTINCT src_resource_id) FROM hfj_res_link WHERE target_resource_id = ?", Integer.class,
				pid))
			.isEqualTo(3);
	}

	@Test
	void aMissingIndexOrAnInvalidOneIsBuiltAndAValidOneIsLeft() {
		JdbcTemplate owner = owner();
		try {
			assertThat(LinkTargetIndex.create(owner.getDataSource())).as("there after the start").isFalse();

			owner.execute("DROP INDEX " + LinkTargetIndex.NAME);
			assertThat(LinkTargetIndex.create(owner.getDataSource())).as("missing").isTrue();
			assertThat(definition(owner)).endsWith("(target_resource_id, src_resource_id, partition_id)");

			// A concurrent build that fails leaves an invalid index under the name.
			owner.execute("DROP INDEX " + LinkTargetIndex.NAME);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> owner
				.execute("CREATE UNIQUE INDEX CONCURRENTLY " + LinkTargetIndex.NAME + " ON hfj_res_link (src_path)"));
			assertThat(owner.queryForObject("SELECT indisvalid FROM pg_index WHERE indexrelid = ?::regclass",
					Boolean.class, LinkTargetIndex.NAME))
				.isFalse();
			assertThat(LinkTargetIndex.create(owner.getDataSource())).as("invalid").isTrue();
			assertThat(definition(owner)).endsWith("(target_resource_id, src_resource_id, partition_id)");
			assertThat(owner.queryForObject("SELECT indisvalid FROM pg_index WHERE indexrelid = ?::regclass",
					Boolean.class, LinkTargetIndex.NAME))
				.isTrue();
		}
		finally {
			LinkTargetIndex.create(owner.getDataSource());
		}
	}

	private JdbcTemplate owner() {
		return IndexDefinitions.owner(context());
	}

	private static String definition(JdbcTemplate owner) {
		return IndexDefinitions.definition(owner, LinkTargetIndex.NAME);
	}

}
