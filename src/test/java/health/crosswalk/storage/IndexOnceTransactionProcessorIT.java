package health.crosswalk.storage;

import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.jpa.dao.TransactionProcessor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.database.SchemaOwner;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction bundle's new resources, extracted once by
 * {@link IndexOnceTransactionProcessor}, get the same index rows and index flags as the
 * same resources created one at a time, are found by them, and are stored as text and
 * read back; a conditional create in the same bundle is indexed as well.
 */
class IndexOnceTransactionProcessorIT extends CrosswalkIntegrationTest {

	private static final List<CoreResources> TYPES = List.of(CoreResources.PATIENT, CoreResources.OBSERVATION,
			CoreResources.MEDICATION_REQUEST, CoreResources.APPOINTMENT);

	@Test
	void aTransactionsNewResourcesAreIndexedAsSingleCreatesAre() {
		assertThat(context().getBean(TransactionProcessor.class)).isInstanceOf(IndexOnceTransactionProcessor.class);
		JdbcTemplate owner = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		IGenericClient client = client();

		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		String placeholder = "urn:uuid:" + UUID.randomUUID();
		for (CoreResources type : TYPES) {
			transaction.addEntry()
				.setFullUrl(type == CoreResources.PATIENT ? placeholder : "urn:uuid:" + UUID.randomUUID())
				.setResource(type.create(unique("tx"), new Reference(placeholder)))
				.getRequest()
				.setMethod(HTTPVerb.POST)
				.setUrl(type.type());
		}
		String conditional = unique("cond");
		transaction.addEntry()
			.setResource(CoreResources.OBSERVATION.create(conditional, new Reference(placeholder)))
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Observation")
			.setIfNoneExist("identifier=" + CoreResources.IDENTIFIER_SYSTEM + "|" + conditional);
		Bundle response = client.transaction().withBundle(transaction).execute();

		Reference singlePatient = newPatient(client);
		String patientId = new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart();
		for (int i = 0; i < TYPES.size(); i++) {
			CoreResources type = TYPES.get(i);
			String inBundle = new IdType(response.getEntry().get(i).getResponse().getLocation()).getIdPart();
			String single = (type == CoreResources.PATIENT) ? new IdType(singlePatient.getReference()).getIdPart()
					: client.create()
						.resource(type.create(unique("single"), singlePatient))
						.execute()
						.getId()
						.getIdPart();
			List<String> rows = indexRows(owner, inBundle);
			assertThat(rows).as("%s from the bundle: its index rows, as a single create's", type.type())
				.isNotEmpty()
				.containsExactlyInAnyOrderElementsOf(indexRows(owner, single));
			assertThat(owner.queryForMap("SELECT v.res_encoding, v.res_text_vc IS NOT NULL AS text, "
					+ "r.hash_sha256 IS NOT NULL AS hash FROM hfj_res_ver v JOIN hfj_resource r ON r.res_id = v.res_id "
					+ "WHERE r.fhir_id = ?", inBundle))
				.as("%s: its text stored in the database, hashed", type.type())
				.containsEntry("res_encoding", "JSON")
				.containsEntry("text", true)
				.containsEntry("hash", true);
			assertThat(client.read().resource(type.type()).withId(inBundle).execute().getIdElement().getIdPart())
				.as("%s read back", type.type())
				.isEqualTo(inBundle);
			if (type != CoreResources.PATIENT) {
				assertThat(owner.queryForObject("SELECT count(*) FROM hfj_res_link l JOIN hfj_resource s "
						+ "ON s.res_id = l.src_resource_id JOIN hfj_resource t ON t.res_id = l.target_resource_id "
						+ "WHERE s.fhir_id = ? AND t.fhir_id = ?", Long.class, inBundle, patientId))
					.as("%s: its reference to the bundle's Patient indexed", type.type())
					.isPositive();
			}
		}
		String conditionalId = new IdType(response.getEntry().get(4).getResponse().getLocation()).getIdPart();
		assertThat(indexRows(owner, conditionalId)).as("the conditional create's index rows")
			.containsExactlyInAnyOrderElementsOf(
					indexRows(owner, new IdType(response.getEntry().get(1).getResponse().getLocation()).getIdPart()));

		Bundle found = client.search()
			.forResource(Observation.class)
			.where(Observation.SUBJECT.hasId("Patient/" + patientId))
			.and(Observation.CODE.exactly().systemAndCode("http://loinc.org", "8867-4"))
			.returnBundle(Bundle.class)
			.execute();
		assertThat(found.getEntry()).as("both Observations found by subject and code").hasSize(2);
		assertThat(client.search()
			.forResource(Patient.class)
			.where(Patient.IDENTIFIER.exactly()
				.systemAndIdentifier(CoreResources.IDENTIFIER_SYSTEM,
						((Patient) transaction.getEntryFirstRep().getResource()).getIdentifierFirstRep().getValue()))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).as("the Patient found by its identifier").hasSize(1);
	}

	/**
	 * A resource's index flags and index rows (table and parameter name, references by
	 * path), values left out.
	 */
	private static List<String> indexRows(JdbcTemplate owner, String fhirId) {
		long pid = owner.queryForObject("SELECT res_id FROM hfj_resource WHERE fhir_id = ?", Long.class, fhirId);
		StringBuilder sql = new StringBuilder("SELECT 'flags ' || concat_ws(' ', sp_string_present, sp_token_present, "
				+ "sp_number_present, sp_quantity_present, sp_quantity_nrml_present, sp_date_present, sp_uri_present, "
				+ "sp_coords_present, sp_has_links, sp_cmpstr_uniq_present, sp_cmptoks_present, sp_index_status) "
				+ "FROM hfj_resource WHERE res_id = ")
			.append(pid)
			.append(" UNION ALL ");
		for (String table : List.of("token", "string", "date", "uri", "quantity", "number", "coords")) {
			sql.append("SELECT '")
				.append(table)
				.append(" ' || sp_name FROM hfj_spidx_")
				.append(table)
				.append(" WHERE res_id = ")
				.append(pid)
				.append(" UNION ALL ");
		}
		sql.append("SELECT 'link ' || src_path FROM hfj_res_link WHERE src_resource_id = ").append(pid);
		return owner.queryForList(sql.toString(), String.class);
	}

}
