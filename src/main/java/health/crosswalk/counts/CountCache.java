package health.crosswalk.counts;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.crosswalk.database.Notifications;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * The answers of count-only searches ({@code _summary=count}), kept until a write to
 * their partition and resource type commits, on this server or any other.
 *
 * <p>
 * Every (partition, type) has a generation, raised once each write to it has committed:
 * by this server's own writes at their commit ({@link CountWrites}), by other servers'
 * through the notification each write transaction sends on {@value #CHANNEL} as it
 * commits. A count is kept with the generations read before its query began, and used
 * only while they are still current: a count whose query raced a write is never used past
 * the write's commit. A notification whose scopes are not known ({@value #EVERYTHING}),
 * and the listening session's loss or return, raise an epoch that makes every count
 * stale. While no session listens (at start, after a lost connection), nothing is kept,
 * and every count runs its query; none is used for longer than a minute.
 */
final class CountCache implements Notifications.Subscriber {

	/** The channel write transactions notify, with their scopes as the payload. */
	static final String CHANNEL = "crosswalk_counts";

	/** A payload that makes every count stale. */
	static final String EVERYTHING = "*";

	/**
	 * The longest a count is used without running again: the bound should the listening
	 * session lose notifications without noticing, as the registry's entries have.
	 */
	static final Duration LIFETIME = Duration.ofMinutes(1);

	private static final char SEPARATOR = ',';

	private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

	private final AtomicLong epoch = new AtomicLong();

	private final Cache<Kept, Integer> entries;

	private volatile boolean listening;

	/**
	 * @param size the most counts kept (least recently used go first)
	 */
	CountCache(long size) {
		this.entries = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(LIFETIME).recordStats().build();
	}

	/**
	 * A partition's resource type, as writes name it and counts look it up.
	 * @param partitionId the partition's id
	 * @param resourceType the type
	 * @return the scope
	 */
	static String scope(int partitionId, String resourceType) {
		return partitionId + ":" + resourceType;
	}

	/**
	 * A count-only search, with everything its answer depends on.
	 *
	 * @param partitionId the one partition it reads
	 * @param resourceType the type it counts
	 * @param query its parameters, normalized by HAPI
	 */
	record Key(int partitionId, String resourceType, String query) {

		String scope() {
			return CountCache.scope(this.partitionId, this.resourceType);
		}

	}

	/**
	 * The generations a count's query began in.
	 *
	 * @param epoch the epoch
	 * @param generation the generation of the count's scope
	 */
	record Stamp(long epoch, long generation) {

	}

	/**
	 * A count as kept: stale ones are never asked for again, and leave as the least
	 * recently used.
	 */
	private record Kept(Key key, Stamp stamp) {

	}

	/**
	 * Where a count's query begins: read before the query, kept with its answer.
	 * @param key the count
	 * @return the stamp, or null if nothing may be kept now
	 */
	Stamp stamp(Key key) {
		if (!this.listening) {
			return null;
		}
		long epoch = this.epoch.get();
		AtomicLong generation = this.generations.get(key.scope());
		Stamp stamp = new Stamp(epoch, (generation != null) ? generation.get() : 0);
		return this.listening ? stamp : null;
	}

	/**
	 * A count kept from a query that began in the current generations.
	 * @param key the count
	 * @param current its stamp now
	 * @return the count, or null
	 */
	Integer get(Key key, Stamp current) {
		return this.entries.getIfPresent(new Kept(key, current));
	}

	/**
	 * Keeps a count; used while nothing it depends on has changed since its stamp.
	 * @param key the count
	 * @param stamp the stamp read before its query began
	 * @param count the answer
	 */
	void put(Key key, Stamp stamp, int count) {
		this.entries.put(new Kept(key, stamp), count);
	}

	/**
	 * Writes to these scopes have committed: their counts are stale.
	 * @param scopes the scopes, or {@value #EVERYTHING}
	 */
	void changed(Collection<String> scopes) {
		for (String scope : scopes) {
			if (EVERYTHING.equals(scope)) {
				this.epoch.incrementAndGet();
			}
			else {
				this.generations.computeIfAbsent(scope, (any) -> new AtomicLong()).incrementAndGet();
			}
		}
	}

	/**
	 * A notification's payload for scopes written together.
	 * @param scopes the scopes
	 * @param limit the longest payload; more scopes are sent as {@value #EVERYTHING}
	 * @return the payload
	 */
	static String payload(Collection<String> scopes, int limit) {
		String joined = String.join(String.valueOf(SEPARATOR), scopes);
		return (joined.isEmpty() || joined.length() > limit || scopes.contains(EVERYTHING)) ? EVERYTHING : joined;
	}

	@Override
	public void notified(List<String> payloads) {
		for (String payload : payloads) {
			changed(List.of(payload.split(String.valueOf(SEPARATOR))));
		}
	}

	@Override
	public void listening(boolean listening) {
		if (listening) {
			this.epoch.incrementAndGet();
			this.listening = true;
		}
		else {
			this.listening = false;
			this.epoch.incrementAndGet();
		}
		this.entries.invalidateAll();
	}

	/**
	 * Publishes the counts' hits, misses, puts, evictions and size as Micrometer's cache
	 * metrics ({@code cache_gets_total{cache="counts",result="hit"}} and so on).
	 * @param registry the server's meters
	 */
	void bindTo(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, this.entries, "counts");
	}

	boolean isListening() {
		return this.listening;
	}

}
