package health.crosswalk.storage;

import java.util.List;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.CoreResources;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI's index of token rows by parameter holds the parameter's hash, resource and
 * partition only; a search sorted by a token still answers in order, and a full index of
 * that name (as HAPI's migrator makes it), or none, is narrowed at the next start.
 */
class TokenIdentityIndexIT extends CrosswalkIntegrationTest {

	private static final String NARROW = "(hash_identity, res_id, partition_id)";

	private static final String FULL = "CREATE INDEX " + TokenIdentityIndex.NAME
			+ " ON hfj_spidx_token (hash_identity, sp_system, sp_value, res_id, partition_id)";

	@Test
	void theIndexHoldsTheHashAndASortByATokenStillAnswersInOrder() {
		JdbcTemplate owner = IndexDefinitions.owner(context());
		assertThat(definition(owner)).endsWith(NARROW);

		String system = CoreResources.IDENTIFIER_SYSTEM;
		String mrn = unique("mrn");
		for (String suffix : List.of("c", "a", "b")) {
			client().create().resource(CoreResources.PATIENT.create(mrn + suffix, null)).execute();
		}
		Bundle sorted = client().search()
			.byUrl("Patient?identifier=" + system + "%7C" + mrn + "a," + system + "%7C" + mrn + "b," + system + "%7C"
					+ mrn + "c&_sort=identifier")
			.returnBundle(Bundle.class)
			.execute();
		assertThat(sorted.getEntry())
			.extracting((entry) -> ((Patient) entry.getResource()).getIdentifierFirstRep().getValue())
			.containsExactly(mrn + "a", mrn + "b", mrn + "c");

		// HAPI's lookup for a sort by a token, planned on the narrowed index.
		String plan = IndexDefinitions.plan(owner,
				"SELECT t1.sp_system, t1.sp_value FROM hfj_spidx_token t1 WHERE t1.hash_identity = 42",
				"enable_bitmapscan = off");
		assertThat(plan).contains(TokenIdentityIndex.NAME);
	}

	@Test
	void aFullIndexOrNoneIsNarrowedAndANarrowedOneIsLeft() {
		JdbcTemplate owner = IndexDefinitions.owner(context());
		try {
			owner.execute("DROP INDEX " + TokenIdentityIndex.NAME);
			owner.execute(FULL);
			assertThat(definition(owner)).contains("sp_system");

			assertThat(TokenIdentityIndex.narrow(owner.getDataSource())).isTrue();
			assertThat(definition(owner)).endsWith(NARROW);
			assertThat(TokenIdentityIndex.narrow(owner.getDataSource())).as("already narrowed").isFalse();

			owner.execute("DROP INDEX " + TokenIdentityIndex.NAME);
			assertThat(TokenIdentityIndex.narrow(owner.getDataSource())).as("missing").isTrue();
			assertThat(definition(owner)).endsWith(NARROW);
		}
		finally {
			TokenIdentityIndex.narrow(owner.getDataSource());
		}
	}

	private static String definition(JdbcTemplate owner) {
		return IndexDefinitions.definition(owner, TokenIdentityIndex.NAME);
	}

}
