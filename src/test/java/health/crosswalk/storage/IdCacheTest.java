package health.crosswalk.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.jpa.model.cross.JpaResourceLookup;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.PartitionablePartitionId;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.util.MemoryCacheService.CacheEnum;
import ca.uhn.fhir.jpa.util.MemoryCacheService.ForcedIdCacheKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The cache of resource identities: larger and longer-lived than HAPI's, expiring on
 * time, cleared with HAPI's caches, its hits and misses counted; every other cache is
 * HAPI's.
 */
class IdCacheTest {

	private final AtomicLong nanos = new AtomicLong();

	private final IdCache cache = new IdCache(new JpaStorageSettings(),
			new StorageProperties.IdCacheSettings(200_000, Duration.ofMinutes(10)), this.nanos::get);

	private static ForcedIdCacheKey key(int i) {
		return new ForcedIdCacheKey("Observation", "obs-" + i, RequestPartitionId.fromPartitionIdAndName(7, "north"));
	}

	@Test
	void holdsFarMoreIdentitiesThanHapisTenThousand() {
		for (int i = 0; i < 100_000; i++) {
			this.cache.put(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(i), List.of());
			this.cache.put(CacheEnum.PID_TO_FORCED_ID, JpaPid.fromId((long) i, 7), Optional.of("Observation/obs-" + i));
		}
		assertThat(this.cache.getEstimatedSize(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID)).isEqualTo(100_000);
		assertThat(this.cache.getEstimatedSize(CacheEnum.PID_TO_FORCED_ID)).isEqualTo(100_000);
		assertThat((Object) this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(17)))
			.isEqualTo(List.of());
		assertThat(this.cache.getAllPresent(CacheEnum.PID_TO_FORCED_ID, List.of(JpaPid.fromId(3L, 7))))
			.containsEntry(JpaPid.fromId(3L, 7), Optional.of("Observation/obs-3"));
	}

	@Test
	void hitsAndMissesArePublishedAsCacheMetrics() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.cache.bindTo(registry);
		this.cache.put(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1), List.of());
		this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1));
		this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1));
		this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(2));
		this.cache.getIfPresent(CacheEnum.PID_TO_FORCED_ID, JpaPid.fromId(5L, 7));

		assertThat(gets(registry, "resource_lookup_by_forced_id", "hit")).isEqualTo(2);
		assertThat(gets(registry, "resource_lookup_by_forced_id", "miss")).isEqualTo(1);
		assertThat(gets(registry, "pid_to_forced_id", "miss")).isEqualTo(1);
		assertThat(registry.get("cache.size").tag("cache", "resource_lookup_by_forced_id").gauge().value())
			.isEqualTo(1);
	}

	@Test
	void askingWhetherAnIdentityIsHeldCountsNeitherAHitNorAMiss() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.cache.bindTo(registry);
		this.cache.put(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1), List.of());

		assertThat(this.cache.holds(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1))).isTrue();
		assertThat(this.cache.holds(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(2))).isFalse();
		assertThat(gets(registry, "resource_lookup_by_forced_id", "hit")).isZero();
		assertThat(gets(registry, "resource_lookup_by_forced_id", "miss")).isZero();
		this.nanos.addAndGet(Duration.ofMinutes(11).toNanos());
		assertThat(this.cache.holds(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1))).isFalse();
		this.cache.put(CacheEnum.MATCH_URL, "Patient?identifier=a|1", JpaPid.fromId(1L));
		assertThat(this.cache.holds(CacheEnum.MATCH_URL, "Patient?identifier=a|1")).isFalse();
	}

	@Test
	void aMissIsAnsweredWithTheLookupAReadFoundWithItsResourceAndCountedAsAMiss() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.cache.bindTo(registry);
		ResourceTable row = new ResourceTable();
		row.setIdForUnitTest(42L);
		row.setResourceType("Observation");
		row.setFhirId("obs-1");
		TransactionSynchronizationManager.initSynchronization();
		try {
			IdentityReads.keep(row, 7, key(1));

			List<IResourceLookup<JpaPid>> found = this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID,
					key(1));
			assertThat(found).singleElement()
				.satisfies((lookup) -> assertThat(lookup.getPersistentId().getId()).isEqualTo(42L));
			assertThat((Object) this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(2))).isNull();
			assertThat(gets(registry, "resource_lookup_by_forced_id", "miss")).isEqualTo(2);
			assertThat(gets(registry, "resource_lookup_by_forced_id", "hit")).isZero();
		}
		finally {
			TransactionSynchronizationManager.getSynchronizations()
				.forEach((each) -> each.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
			TransactionSynchronizationManager.clearSynchronization();
		}
		assertThat(this.cache.holds(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1))).isTrue();
	}

	private static double gets(SimpleMeterRegistry registry, String cache, String result) {
		return registry.get("cache.gets").tag("cache", cache).tag("result", result).functionCounter().count();
	}

	@Test
	void anIdentityExpiresOnTimeAfterItWasWrittenHoweverOftenItIsRead() {
		this.cache.put(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1), List.of());
		for (int minute = 1; minute < 10; minute++) {
			this.nanos.addAndGet(TimeUnit.MINUTES.toNanos(1));
			assertThat((Object) this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1))).isNotNull();
		}
		this.nanos.addAndGet(TimeUnit.MINUTES.toNanos(1));
		assertThat((Object) this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(1))).isNull();
	}

	@Test
	void aVersionHapiWritesIntoALookupItWasGivenIsNotKept() {
		this.cache.put(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(4), List
			.of(new JpaResourceLookup("Observation", "obs-4", 42L, null, PartitionablePartitionId.with(7, null))));
		List<IResourceLookup<JpaPid>> given = this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(4));
		given.get(0).getPersistentId().setVersion(3L);

		List<IResourceLookup<JpaPid>> again = this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(4));
		assertThat(again).singleElement().satisfies((lookup) -> {
			assertThat(lookup.getPersistentId().getVersion()).isNull();
			assertThat(lookup.getPersistentId().getId()).isEqualTo(42L);
			assertThat(lookup.getPersistentId().getPartitionId()).isEqualTo(7);
			assertThat(lookup.getFhirId()).isEqualTo("obs-4");
			assertThat(lookup.getResourceType()).isEqualTo("Observation");
			assertThat(lookup.getDeleted()).isNull();
		});
	}

	@Test
	void aLoaderThatFindsNothingCachesNothing() {
		assertThat((Object) this.cache.get(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(2), (k) -> null)).isNull();
		assertThat((Object) this.cache.get(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(2), (k) -> List.of()))
			.isEqualTo(List.of());
		assertThat((Object) this.cache.get(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(2), (k) -> null))
			.isEqualTo(List.of());
	}

	@Test
	void otherCachesAreHapisAndClearingClearsWhatIsNamed() {
		this.cache.putAfterCommit(CacheEnum.MATCH_URL, "Patient?identifier=a|1", JpaPid.fromId(1L));
		this.cache.put(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(3), List.of());
		this.cache.put(CacheEnum.PID_TO_FORCED_ID, JpaPid.fromId(3L, 7), Optional.empty());
		assertThat((Object) this.cache.getIfPresent(CacheEnum.MATCH_URL, "Patient?identifier=a|1")).isNotNull();

		this.cache.invalidateCaches(CacheEnum.MATCH_URL, CacheEnum.PID_TO_FORCED_ID);
		assertThat((Object) this.cache.getIfPresent(CacheEnum.MATCH_URL, "Patient?identifier=a|1")).isNull();
		assertThat((Object) this.cache.getIfPresent(CacheEnum.PID_TO_FORCED_ID, JpaPid.fromId(3L, 7))).isNull();
		assertThat((Object) this.cache.getIfPresent(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key(3))).isNotNull();

		this.cache.invalidateAllCaches();
		assertThat(this.cache.getEstimatedSize(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID)).isZero();
	}

	@Test
	void settingsBelowAThousandEntriesOrWithoutExpiryAreRefusedAtStart() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StorageProperties.IdCacheSettings(999, Duration.ofMinutes(1)))
			.withMessageContaining("id-cache.size");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StorageProperties.IdCacheSettings(1_000, Duration.ZERO))
			.withMessageContaining("id-cache.expiry");
	}

}
