package health.crosswalk.storage;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.google.common.hash.Hashing;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.database.SchemaOwner;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new resource's rows are inserted once, with the values that insert-then-update left
 * before ({@link InsertFinalState}), in a transaction bundle (placeholders resolved after
 * HAPI persisted the rows) and in a single create; an update of an existing resource
 * still updates its row.
 */
class InsertFinalStateIT extends CrosswalkIntegrationTest {

	@Test
	void aNewResourcesRowsAreInsertedOnceWithTheirFinalValues() {
		JdbcTemplate owner = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		String log = "cw_test_updates_" + UUID.randomUUID().toString().replace("-", "");
		owner.execute("CREATE TABLE public." + log + " (tbl text, res_id bigint)");
		owner.execute("CREATE FUNCTION public." + log + "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS "
				+ "$$ BEGIN INSERT INTO public." + log + " VALUES (TG_TABLE_NAME, NEW.res_id); RETURN NEW; END $$");
		for (String table : List.of("hfj_resource", "hfj_res_ver")) {
			owner.execute("CREATE TRIGGER " + log + " AFTER UPDATE ON public." + table
					+ " FOR EACH ROW EXECUTE FUNCTION public." + log + "()");
		}
		try {
			// Crosswalk keeps a client's id of at most 16 characters.
			String requestId = "cw" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
			IGenericClient client = client();
			AdditionalRequestHeadersInterceptor header = new AdditionalRequestHeadersInterceptor();
			header.addHeaderValue("X-Request-ID", requestId);
			client.registerInterceptor(header);

			Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
			String placeholder = "urn:uuid:" + UUID.randomUUID();
			transaction.addEntry()
				.setFullUrl(placeholder)
				.setResource(CoreResources.PATIENT.create(unique("mrn"), null))
				.getRequest()
				.setMethod(HTTPVerb.POST)
				.setUrl("Patient");
			transaction.addEntry()
				.setResource(CoreResources.OBSERVATION.create(unique("obs"), new Reference(placeholder)))
				.getRequest()
				.setMethod(HTTPVerb.POST)
				.setUrl("Observation");
			Bundle response = client.transaction().withBundle(transaction).execute();
			IdType patient = new IdType(response.getEntry().get(0).getResponse().getLocation());
			IdType observation = new IdType(response.getEntry().get(1).getResponse().getLocation());
			String single = newObservation(client, new Reference(patient.toUnqualifiedVersionless().getValue()));

			Map<String, Long> pids = Map.of("Patient", pid(owner, patient.getIdPart()), "Observation",
					pid(owner, observation.getIdPart()), "single", pid(owner, single));
			assertThat(updates(owner, log, pids.values())).as("rows updated after their insert").isEmpty();
			for (Map.Entry<String, Long> row : pids.entrySet()) {
				Map<String, Object> version = owner.queryForMap(
						"SELECT v.res_ver::bigint AS res_ver, v.request_id, v.res_text_vc, r.res_ver::bigint AS current, "
								+ "r.hash_sha256 FROM hfj_res_ver v JOIN hfj_resource r ON r.res_id = v.res_id "
								+ "WHERE v.res_id = ?",
						row.getValue());
				assertThat(version).as(row.getKey())
					.containsEntry("res_ver", 1L)
					.containsEntry("current", 1L)
					.containsEntry("request_id", requestId);
				assertThat(version.get("hash_sha256")).as("%s: the hash of the stored text (HAPI's)", row.getKey())
					.isEqualTo(Hashing.sha256().hashUnencodedChars((String) version.get("res_text_vc")).toString());
			}
			assertThat(owner.queryForObject("SELECT res_text_vc FROM hfj_res_ver WHERE res_id = ?", String.class,
					pids.get("Observation")))
				.as("the placeholder resolved in the stored text")
				.contains("Patient/" + patient.getIdPart())
				.doesNotContain(placeholder);
			assertThat(
					client.read().resource(Patient.class).withId(patient.getIdPart()).execute().getMeta().getSource())
				.as("the request id read back from the stored version")
				.endsWith("#" + requestId);

			Patient changed = client.read().resource(Patient.class).withId(patient.getIdPart()).execute();
			changed.addName().setFamily(unique("family"));
			client.update().resource(changed).execute();
			assertThat(updates(owner, log, List.of(pids.get("Patient"))))
				.as("an update of an existing resource updates its row (the trigger sees updates)")
				.containsExactly("hfj_resource");
			assertThat(owner.queryForList("SELECT res_ver::bigint FROM hfj_res_ver WHERE res_id = ? ORDER BY res_ver",
					Long.class, pids.get("Patient")))
				.containsExactly(1L, 2L);
		}
		finally {
			for (String table : List.of("hfj_resource", "hfj_res_ver")) {
				owner.execute("DROP TRIGGER IF EXISTS " + log + " ON public." + table);
			}
			owner.execute("DROP FUNCTION IF EXISTS public." + log + "()");
			owner.execute("DROP TABLE IF EXISTS public." + log);
		}
	}

	private static long pid(JdbcTemplate owner, String fhirId) {
		return owner.queryForObject("SELECT res_id FROM hfj_resource WHERE fhir_id = ?", Long.class, fhirId);
	}

	private static List<String> updates(JdbcTemplate owner, String log, java.util.Collection<Long> pids) {
		String in = pids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
		return owner.queryForList("SELECT tbl FROM public." + log + " WHERE res_id IN (" + in + ")", String.class);
	}

}
