package health.crosswalk.storage;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.jpa.util.MemoryCacheService;
import ca.uhn.fhir.jpa.util.MemoryCacheService.CacheEnum;
import ca.uhn.fhir.jpa.util.MemoryCacheService.ForcedIdCacheKey;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * HAPI keeps resource identities in Crosswalk's cache ({@link IdCache}), not in its own:
 * a written resource's identity is there once the write is answered, and a delete through
 * this server marks it deleted there; a search by a bare patient id finds the patient
 * there too.
 */
class IdCacheIT extends CrosswalkIntegrationTest {

	@Test
	void hapiKeepsIdentitiesInCrosswalksCacheAndMarksDeletesThere() {
		MemoryCacheService caches = context().getBean(MemoryCacheService.class);
		assertThat(caches).isInstanceOf(IdCache.class);
		IIdType id = client().create()
			.resource(CoreResources.PATIENT.create(unique("mrn"), null))
			.execute()
			.getId()
			.toUnqualifiedVersionless();
		ForcedIdCacheKey key = new ForcedIdCacheKey("Patient", id.getIdPart(),
				RequestPartitionId.fromPartitionId(hospital().partitionId()));

		List<IResourceLookup<?>> written = caches.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key);
		assertThat(written).singleElement().satisfies((lookup) -> assertThat(lookup.getDeleted()).isNull());

		client().delete().resourceById(id).execute();
		List<IResourceLookup<?>> deleted = caches.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key);
		assertThat(deleted).singleElement().satisfies((lookup) -> assertThat(lookup.getDeleted()).isNotNull());
		assertThatExceptionOfType(ResourceGoneException.class)
			.isThrownBy(() -> client().read().resource(Patient.class).withId(id).execute());
	}

	@Test
	void aSearchByABarePatientIdFindsThePatientInTheCache() {
		MemoryCacheService caches = context().getBean(MemoryCacheService.class);
		Reference first = newPatient(client());
		Reference second = newPatient(client());
		String firstObservation = newObservation(client(), first);
		String secondObservation = newObservation(client(), second);
		String bare = new IdType(first.getReference()).getIdPart();
		assertThat(observations("patient=" + bare)).containsExactly(firstObservation)
			.isEqualTo(observations("patient=Patient/" + bare));

		// The first patient's cached identity made to name the second: the search follows
		// the cache, as it does only when it looks the id up under its type. Each search
		// below asks a page size of its own: a page already searched is kept until an
		// Observation is written (health.crosswalk.results), and would not look.
		RequestPartitionId partition = RequestPartitionId.fromPartitionId(hospital().partitionId());
		ForcedIdCacheKey key = new ForcedIdCacheKey("Patient", bare, partition);
		ForcedIdCacheKey secondKey = new ForcedIdCacheKey("Patient", new IdType(second.getReference()).getIdPart(),
				partition);
		assertThat((List<?>) caches.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key)).isNotEmpty();
		caches.put(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key,
				caches.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, secondKey));
		try {
			assertThat(observations("patient=" + bare + "&_count=9")).containsExactly(secondObservation);
		}
		finally {
			caches.invalidateCaches(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID);
		}
		assertThat(observations("patient=" + bare + "&_count=8")).containsExactly(firstObservation);
	}

	private Set<String> observations(String query) {
		Bundle found = client().search().byUrl("Observation?" + query).returnBundle(Bundle.class).execute();
		return found.getEntry()
			.stream()
			.map((entry) -> entry.getResource().getIdElement().getIdPart())
			.collect(Collectors.toSet());
	}

}
