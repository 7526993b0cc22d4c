package health.crosswalk.storage;

import java.util.Optional;

import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A read by id loads the resource with its current version ({@link CurrentVersionReads}):
 * through HAPI's repository the resource arrives holding the version whose text is read,
 * and reads, version reads, deletes and writes after a delete answer as before; another
 * hospital's resource stays unfound.
 */
class CurrentVersionReadsIT extends CrosswalkIntegrationTest {

	@Test
	void hapisRepositoryLoadsAResourceWithItsCurrentVersion() {
		IResourceTableDao resources = context().getBean(IResourceTableDao.class);
		assertThat(CurrentVersionReads.isWrapped(resources)).isTrue();
		Reference patient = newPatient(client());
		String id = newObservation(client(), patient);
		amend(id);
		long pid = context().getBean(JdbcTemplate.class)
			.queryForObject("SELECT res_id FROM hfj_resource WHERE fhir_id = ? AND res_type = 'Observation'",
					Long.class, id);

		ResourceHistoryTable[] current = new ResourceHistoryTable[1];
		ResourceTable read = new TransactionTemplate(context().getBean(PlatformTransactionManager.class))
			.execute((status) -> {
				ResourceTable resource = resources.readByPartitionId(hospital().partitionId(), pid).orElseThrow();
				current[0] = resource.getCurrentVersionEntity();
				return resource;
			});

		assertThat(read.getVersion()).isEqualTo(2);
		assertThat(current[0]).isNotNull();
		assertThat(current[0].getVersion()).isEqualTo(2);
		assertThat(current[0].getResourceTextVc()).contains("\"amended\"");
		int elsewhere = newHospital().partitionId();
		Optional<ResourceTable> otherHospital = new TransactionTemplate(
				context().getBean(PlatformTransactionManager.class))
			.execute((status) -> resources.readByPartitionId(elsewhere, pid));
		assertThat(otherHospital).isEmpty();
	}

	@Test
	void readsVersionReadsAndDeletesAnswerAsBefore() {
		IGenericClient client = client();
		String id = newObservation(client, newPatient(client));
		amend(id);

		Observation current = client.read().resource(Observation.class).withId(id).execute();
		assertThat(current.getIdElement().getVersionIdPart()).isEqualTo("2");
		assertThat(current.getStatus()).isEqualTo(ObservationStatus.AMENDED);
		assertThat(current.getMeta().getVersionId()).isEqualTo("2");
		Observation first = client.read().resource(Observation.class).withIdAndVersion(id, "1").execute();
		assertThat(first.getStatus()).isEqualTo(ObservationStatus.FINAL);
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> client(newHospital().key()).read().resource(Observation.class).withId(id).execute());

		client.delete().resourceById(new IdType("Observation", id)).execute();
		assertThatExceptionOfType(ResourceGoneException.class)
			.isThrownBy(() -> client.read().resource(Observation.class).withId(id).execute());
		current.setIdElement(new IdType("Observation", id));
		current.setStatus(ObservationStatus.CORRECTED);
		String written = client.update().resource(current).execute().getId().getVersionIdPart();
		Observation again = client.read().resource(Observation.class).withId(id).execute();
		assertThat(again.getIdElement().getVersionIdPart()).isEqualTo(written);
		assertThat(again.getStatus()).isEqualTo(ObservationStatus.CORRECTED);
	}

	private void amend(String id) {
		Observation observation = client().read().resource(Observation.class).withId(id).execute();
		observation.setStatus(ObservationStatus.AMENDED);
		client().update().resource(observation).execute();
	}

}
