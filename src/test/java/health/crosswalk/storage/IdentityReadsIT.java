package health.crosswalk.storage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.jpa.util.MemoryCacheService;
import ca.uhn.fhir.jpa.util.MemoryCacheService.CacheEnum;
import ca.uhn.fhir.jpa.util.MemoryCacheService.ForcedIdCacheKey;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.CrosswalkIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A read by id whose identity is not cached finds it with the resource
 * ({@link IdentityReads}) in the read's transaction: the cache counts its miss, as
 * before, and answers with that lookup, which it then holds as HAPI's query would have
 * made it. Reads, version reads, reads of a deleted resource, of another hospital's and
 * of none answer as before; a write whose identity is not cached is resolved by HAPI.
 */
class IdentityReadsIT extends CrosswalkIntegrationTest {

	@Test
	void hapisIdentityServiceIsReplaced() {
		assertThat(context().getBean(IIdHelperService.class)).isInstanceOf(IdentityReads.class);
	}

	@Test
	void aReadWhoseIdentityIsNotCachedFindsItWithTheResource() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		String id = newObservation(client, patient);
		Observation amended = client.read().resource(Observation.class).withId(id).execute();
		amended.setStatus(ObservationStatus.AMENDED);
		client.update().resource(amended).execute();
		ForcedIdCacheKey key = new ForcedIdCacheKey("Observation", id,
				RequestPartitionId.fromPartitionId(hospital().partitionId()));

		forgetIdentities();
		double misses = misses();
		Shown shown = new Shown(key);
		IInterceptorService interceptors = context().getBean(IInterceptorService.class);
		interceptors.registerInterceptor(shown);
		Observation read;
		try {
			read = client.read().resource(Observation.class).withId(id).execute();
		}
		finally {
			interceptors.unregisterInterceptor(shown);
		}

		assertThat(read.getMeta().getVersionId()).isEqualTo("2");
		assertThat(read.getStatus()).isEqualTo(ObservationStatus.AMENDED);
		assertThat(shown.found).containsExactly(key);
		assertThat(misses()).isEqualTo(misses + 1);
		long row = context().getBean(JdbcTemplate.class)
			.queryForObject("SELECT res_id FROM hfj_resource WHERE fhir_id = ? AND res_type = 'Observation'",
					Long.class, id);
		List<IResourceLookup<?>> cached = caches().getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key);
		assertThat(cached).singleElement().satisfies((lookup) -> {
			assertThat(lookup.getPersistentId().getId()).isEqualTo(row);
			assertThat(lookup.getFhirId()).isEqualTo(id);
			assertThat(lookup.getResourceType()).isEqualTo("Observation");
			assertThat(lookup.getDeleted()).isNull();
		});

		forgetIdentities();
		Observation first = client.read().resource(Observation.class).withIdAndVersion(id, "1").execute();
		assertThat(first.getStatus()).isEqualTo(ObservationStatus.FINAL);
		forgetIdentities();
		Patient patientRead = client.read().resource(Patient.class).withId(patient.getReferenceElement()).execute();
		assertThat(patientRead.getIdElement().getIdPart()).isEqualTo(patient.getReferenceElement().getIdPart());
	}

	@Test
	void deletedUnknownAndOtherHospitalsResourcesAnswerAsBefore() {
		IGenericClient client = client();
		String id = newObservation(client, newPatient(client));
		Observation current = client.read().resource(Observation.class).withId(id).execute();

		forgetIdentities();
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> client(newHospital().key()).read().resource(Observation.class).withId(id).execute());
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> client.read().resource(Observation.class).withId(unique("none")).execute());

		client.delete().resourceById(new IdType("Observation", id)).execute();
		forgetIdentities();
		assertThatExceptionOfType(ResourceGoneException.class)
			.isThrownBy(() -> client.read().resource(Observation.class).withId(id).execute());
		forgetIdentities();
		current.setIdElement(new IdType("Observation", id));
		current.setStatus(ObservationStatus.CORRECTED);
		client.update().resource(current).execute();
		forgetIdentities();
		assertThat(client.read().resource(Observation.class).withId(id).execute().getStatus())
			.isEqualTo(ObservationStatus.CORRECTED);
	}

	/**
	 * Records, while resources are shown in a read's transaction, whether that
	 * transaction found the watched identity with its resource.
	 */
	@Interceptor
	static final class Shown {

		final List<ForcedIdCacheKey> found = new CopyOnWriteArrayList<>();

		private final ForcedIdCacheKey watched;

		Shown(ForcedIdCacheKey watched) {
			this.watched = watched;
		}

		@Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
		void shown() {
			if (IdentityReads.lookedUp(this.watched) != null) {
				this.found.add(this.watched);
			}
		}

	}

	private MemoryCacheService caches() {
		return context().getBean(MemoryCacheService.class);
	}

	private void forgetIdentities() {
		caches().invalidateCaches(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, CacheEnum.PID_TO_FORCED_ID);
	}

	private double misses() {
		return context().getBean(MeterRegistry.class)
			.get("cache.gets")
			.tag("cache", "resource_lookup_by_forced_id")
			.tag("result", "miss")
			.functionCounter()
			.count();
	}

}
