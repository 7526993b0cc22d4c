package health.crosswalk.storage;

import java.util.List;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.jpa.util.MemoryCacheService;
import ca.uhn.fhir.jpa.util.MemoryCacheService.CacheEnum;
import ca.uhn.fhir.jpa.util.MemoryCacheService.ForcedIdCacheKey;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * HAPI keeps resource identities in Crosswalk's cache ({@link IdCache}), not in its own:
 * a written resource's identity is there once the write is answered, and a delete through
 * this server marks it deleted there.
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

}
