package health.crosswalk.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.model.cross.JpaResourceLookup;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.util.MemoryCacheService;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * HAPI's memory caches with a larger, longer-lived cache of resource identities: the
 * mapping from a resource's type, id and partition to its row ({@code
 * RESOURCE_LOOKUP_BY_FORCED_ID}) and back ({@code PID_TO_FORCED_ID}). HAPI keeps those
 * 10,000 entries for one minute; a read by id of anything older then costs a query for
 * its row before the row itself is read.
 *
 * <p>
 * What may be kept longer: with expunge off for clients, a resource's row never changes
 * its type, id or partition, and row numbers are never reused (a sequence), so the only
 * thing an entry can get wrong is whether the resource is deleted (an export file the
 * server itself expunges leaves an entry pointing at no row, which a read answers as not
 * found). This server updates its own entries when it deletes or revives a resource (HAPI
 * does so after the commit); a delete on another server sharing the database is seen here
 * when the entry expires. HAPI reads the row again wherever deletion matters (a read
 * answers 410 from the row; a reference to a deleted resource is checked without the
 * cache), except for the patients named by a patient-level bulk export, so the expiry
 * bounds how long such an export on this server may still take a patient deleted on
 * another as alive. Every other HAPI cache is HAPI's own, unchanged.
 */
class IdCache extends MemoryCacheService {

	private final Map<CacheEnum, Cache<Object, Object>> identities = new EnumMap<>(CacheEnum.class);

	IdCache(JpaStorageSettings settings, StorageProperties.IdCacheSettings properties) {
		this(settings, properties, Ticker.systemTicker());
	}

	IdCache(JpaStorageSettings settings, StorageProperties.IdCacheSettings properties, Ticker ticker) {
		super(settings);
		for (CacheEnum cache : new CacheEnum[] { CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, CacheEnum.PID_TO_FORCED_ID }) {
			this.identities.put(cache,
					Caffeine.newBuilder()
						.maximumSize(properties.size())
						.expireAfterWrite(properties.expiry())
						.ticker(ticker)
						.executor(Runnable::run)
						.recordStats()
						.build());
		}
	}

	/**
	 * Publishes both caches' hits, misses, puts, evictions and size as Micrometer's cache
	 * metrics
	 * ({@code cache_gets_total{cache="resource_lookup_by_forced_id",result="hit"}} and so
	 * on; the other cache is {@code pid_to_forced_id}), so that an operator sees whether
	 * {@code crosswalk.storage.id-cache.size} holds the identities in use.
	 * @param registry the server's meters
	 */
	void bindTo(MeterRegistry registry) {
		this.identities.forEach((cache, identity) -> CaffeineCacheMetrics.monitor(registry, identity,
				cache.name().toLowerCase(Locale.ROOT)));
	}

	@Override
	@SuppressWarnings("unchecked")
	protected <K, T> T doGet(CacheEnum cache, K key, Function<K, T> supplier) {
		Cache<Object, Object> identity = this.identities.get(cache);
		return (identity != null) ? (T) fresh(cache, identity.get(key, (k) -> supplier.apply((K) k)))
				: super.doGet(cache, key, supplier);
	}

	/**
	 * An identity's entry, or, when this cache misses (and counts the miss), the lookup a
	 * read by id found with its resource in the current, read-only transaction
	 * ({@link IdentityReads}), kept from then on: HAPI keeps its own query's once the
	 * transaction commits, and a read-only one cannot have written the row.
	 */
	@Override
	@SuppressWarnings("unchecked")
	protected <K, V> V doGetIfPresent(CacheEnum cache, K key) {
		Cache<Object, Object> identity = this.identities.get(cache);
		if (identity == null) {
			return super.doGetIfPresent(cache, key);
		}
		Object held = identity.getIfPresent(key);
		if (held == null && cache == CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID) {
			held = IdentityReads.lookedUp(key);
			if (held != null) {
				identity.put(key, held);
			}
		}
		return (V) fresh(cache, held);
	}

	/**
	 * A copy of cached lookups, each with a row number of its own: HAPI writes into the
	 * row number it is given (the version it then finds, when a reference is versioned
	 * automatically) and would otherwise take that version from the cache later, however
	 * many versions the resource has had since.
	 */
	private static Object fresh(CacheEnum cache, Object value) {
		if (cache != CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID || !(value instanceof List<?> lookups)) {
			return value;
		}
		List<Object> copies = new ArrayList<>(lookups.size());
		for (Object each : lookups) {
			if (each instanceof JpaResourceLookup lookup) {
				JpaPid row = JpaPid.fromId(lookup.getPersistentId().getId(), lookup.getPersistentId().getPartitionId());
				row.setResourceType(lookup.getPersistentId().getResourceType());
				copies.add(new JpaResourceLookup(lookup.getResourceType(), lookup.getFhirId(), row, lookup.getDeleted(),
						lookup.getPartitionId()));
			}
			else {
				copies.add(each);
			}
		}
		return copies;
	}

	/**
	 * Whether one of the identity caches holds an entry for a key, without counting a hit
	 * or a miss.
	 * @param cache one of HAPI's caches
	 * @param key its key
	 * @return whether an entry is held for it (false for every cache HAPI keeps itself)
	 */
	boolean holds(CacheEnum cache, Object key) {
		Cache<Object, Object> identity = this.identities.get(cache);
		return identity != null && identity.policy().getIfPresentQuietly(key) != null;
	}

	@Override
	protected <K, V> void doPut(CacheEnum cache, K key, V value) {
		Cache<Object, Object> identity = this.identities.get(cache);
		if (identity != null) {
			identity.put(key, value);
		}
		else {
			super.doPut(cache, key, value);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	protected <K, V> Map<K, V> doGetAllPresent(CacheEnum cache, Collection<K> keys) {
		Cache<Object, Object> identity = this.identities.get(cache);
		return (identity != null) ? (Map<K, V>) identity.getAllPresent(keys) : super.doGetAllPresent(cache, keys);
	}

	@Override
	public void invalidateAllCaches() {
		super.invalidateAllCaches();
		this.identities.values().forEach(Cache::invalidateAll);
	}

	@Override
	public void invalidateCaches(CacheEnum... caches) {
		for (CacheEnum cache : caches) {
			Cache<Object, Object> identity = this.identities.get(cache);
			if (identity != null) {
				identity.invalidateAll();
			}
			else {
				super.invalidateCaches(cache);
			}
		}
	}

	@Override
	public long getEstimatedSize(CacheEnum cache) {
		Cache<Object, Object> identity = this.identities.get(cache);
		return (identity != null) ? identity.estimatedSize() : super.getEstimatedSize(cache);
	}

}
