package health.crosswalk.storage;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ca.uhn.fhir.jpa.dao.data.IResourceHistoryTableDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import health.crosswalk.CrosswalkIntegrationTest;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.TypedQuery;
import org.hibernate.query.sqm.internal.QuerySqmImpl;
import org.hibernate.query.sqm.internal.SqmInterpretationsKey;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI loads search pages through {@link PageLoads}, and a page holds each resource's
 * current version, whatever the page's length; Hibernate keeps the plan of each length's
 * query, where it keeps none for HAPI's.
 */
class PageLoadsIT extends CrosswalkIntegrationTest {

	@Test
	void searchPagesHoldEachResourcesCurrentVersion() {
		assertThat(PageLoads.isWrapped(context().getBean(IResourceHistoryTableDao.class))).isTrue();
		Reference patient = newPatient(client());
		String first = newObservation(client(), patient);
		String second = newObservation(client(), patient);
		String third = newObservation(client(), patient);
		Observation changed = client().read().resource(Observation.class).withId(second).execute();
		changed.setStatus(Observation.ObservationStatus.AMENDED);
		client().update().resource(changed).execute();

		for (int count : new int[] { 1, 2, 3, 20 }) {
			Bundle page = client().search()
				.byUrl("Observation?patient=" + patient.getReference() + "&_count=" + count + "&_sort=_id")
				.returnBundle(Bundle.class)
				.execute();
			assertThat(page.getEntry()).hasSize(Math.min(count, 3));
		}
		Bundle all = client().search()
			.byUrl("Observation?patient=" + patient.getReference())
			.returnBundle(Bundle.class)
			.execute();
		Map<String, String> versions = all.getEntry()
			.stream()
			.map((entry) -> (Observation) entry.getResource())
			.collect(Collectors.toMap((o) -> o.getIdElement().getIdPart(),
					(o) -> o.getIdElement().getVersionIdPart() + " " + o.getStatus().toCode()));
		assertThat(versions).containsOnly(Map.entry(first, "1 final"), Map.entry(second, "2 amended"),
				Map.entry(third, "1 final"));
	}

	@Test
	void hibernateKeepsThePlanOfEachLengthsQueryAndNoneForHapis() {
		EntityManager entityManager = context().getBean(EntityManagerFactory.class).createEntityManager();
		try {
			for (int count : new int[] { 1, 2, 10, 50 }) {
				TypedQuery<ResourceHistoryTable> query = entityManager.createQuery(PageLoads.query(count),
						ResourceHistoryTable.class);
				for (int i = 0; i < count; i++) {
					query.setParameter("p" + i, JpaPid.fromId(1L + i, 1));
				}
				assertThat(SqmInterpretationsKey.createInterpretationsKey(query.unwrap(QuerySqmImpl.class)))
					.as("the plan key of the query for %d rows", count)
					.isNotNull();
			}
			TypedQuery<ResourceHistoryTable> hapis = entityManager.createQuery(PageLoads.HAPI_QUERY,
					ResourceHistoryTable.class);
			hapis.setParameter("pids", List.of(JpaPid.fromId(1L, 1), JpaPid.fromId(2L, 1)));
			assertThat(SqmInterpretationsKey.createInterpretationsKey(hapis.unwrap(QuerySqmImpl.class))).isNull();
		}
		finally {
			entityManager.close();
		}
	}

}
