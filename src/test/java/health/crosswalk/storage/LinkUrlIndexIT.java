package health.crosswalk.storage;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI's index for references by URL holds only the references that have one; a reference
 * by URL is still found, through it, and a full index of that name (as HAPI's migrator
 * makes it), or none, is narrowed at the next start.
 */
class LinkUrlIndexIT extends CrosswalkIntegrationTest {

	private static final String FULL = "CREATE INDEX " + LinkUrlIndex.NAME
			+ " ON hfj_res_link (src_path, target_resource_url, partition_id, src_resource_id)";

	@Test
	void theIndexHoldsOnlyReferencesByUrlAndTheyAreFound() {
		JdbcTemplate owner = owner();
		assertThat(definition(owner)).endsWith("WHERE (target_resource_url IS NOT NULL)");

		IGenericClient client = client();
		Reference patient = newPatient(client);
		String canonical = "http://forms.example.org/Questionnaire/" + unique("intake");
		String id = client.create()
			.resource(new QuestionnaireResponse().setQuestionnaire(canonical)
				.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED)
				.setSubject(patient))
			.execute()
			.getId()
			.getIdPart();

		Bundle found = client.search()
			.forResource(QuestionnaireResponse.class)
			.where(QuestionnaireResponse.QUESTIONNAIRE.hasId(canonical))
			.returnBundle(Bundle.class)
			.execute();
		assertThat(found.getEntry()).extracting((entry) -> entry.getResource().getIdElement().getIdPart())
			.containsExactly(id);
		assertThat(owner.queryForObject("SELECT count(*) FROM hfj_res_link WHERE target_resource_url = ?",
				Integer.class, canonical))
			.isOne();

		// The shape of HAPI's query by URL, planned with the narrowed index.
		String plan = IndexDefinitions.plan(owner,
				"SELECT src_resource_id FROM hfj_res_link "
						+ "WHERE src_path IN ('QuestionnaireResponse.questionnaire') AND target_resource_url IN ('"
						+ canonical + "')");
		assertThat(plan).contains(LinkUrlIndex.NAME);
	}

	@Test
	void aFullIndexOrNoneIsNarrowedAndANarrowedOneIsLeft() {
		JdbcTemplate owner = owner();
		try {
			owner.execute("DROP INDEX " + LinkUrlIndex.NAME);
			owner.execute(FULL);
			assertThat(definition(owner)).doesNotContain("WHERE");

			assertThat(LinkUrlIndex.narrow(owner.getDataSource())).isTrue();
			assertThat(definition(owner)).endsWith("WHERE (target_resource_url IS NOT NULL)");
			assertThat(LinkUrlIndex.narrow(owner.getDataSource())).as("already narrowed").isFalse();

			owner.execute("DROP INDEX " + LinkUrlIndex.NAME);
			assertThat(LinkUrlIndex.narrow(owner.getDataSource())).as("missing, as HAPI's migrator may leave it")
				.isTrue();
			assertThat(definition(owner)).endsWith("WHERE (target_resource_url IS NOT NULL)");
		}
		finally {
			LinkUrlIndex.narrow(owner.getDataSource());
		}
	}

	private JdbcTemplate owner() {
		return IndexDefinitions.owner(context());
	}

	private static String definition(JdbcTemplate owner) {
		return IndexDefinitions.definition(owner, LinkUrlIndex.NAME);
	}

}
