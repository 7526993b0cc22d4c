package health.crosswalk.storage;

import java.util.Map;
import java.util.stream.Collectors;

import ca.uhn.fhir.jpa.dao.data.IResourceHistoryTableDao;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI loads search pages through {@link PageLoads}, and a page holds each resource's
 * current version, whatever the page's length.
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

}
