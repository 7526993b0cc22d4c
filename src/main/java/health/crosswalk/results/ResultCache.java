package health.crosswalk.results;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import ca.uhn.fhir.jpa.model.dao.JpaPid;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.crosswalk.database.Notifications;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * The answers of searches that read one partition's rows of one type: counts
 * ({@code _summary=count}) and pages of results (their ids, in order), kept until a write
 * to that partition and type commits, on this server or any other; and the ids of stored
 * searches that read any type of one partition ({@code $everything}), kept until a write
 * to that partition commits.
 *
 * <p>
 * Every (partition, type) has a generation, raised once each write to it has committed,
 * and so has every partition ({@value #ANY_TYPE} as the type), raised with each of its
 * types': by this server's own writes at their commit ({@link ResultWrites}), by other
 * servers' through the notification each write transaction sends on {@value #CHANNEL} as
 * it commits. Each notification names the server that sent it, which does not act on its
 * own: it has raised the generations at the commit already, and raising them again a
 * moment later would only make the answers kept in between miss once more. An answer is
 * kept with the generations read before its query began, and used only while they are
 * still current: an answer whose query raced a write is never used past the write's
 * commit. A notification whose scopes are not known ({@value #EVERYTHING}), and the
 * listening session's loss or return, raise an epoch that makes every answer stale. While
 * no session listens (at start, after a lost connection), nothing is kept, and every
 * search runs its query; no answer is used for longer than a minute.
 */
final class ResultCache implements Notifications.Subscriber {

	/** The channel write transactions notify, with their scopes as the payload. */
	static final String CHANNEL = "crosswalk_results";

	/** A payload that makes every kept answer stale. */
	static final String EVERYTHING = "*";

	/**
	 * The longest an answer is used without running again: the bound should the listening
	 * session lose notifications without noticing, as the registry's entries have.
	 */
	static final Duration LIFETIME = Duration.ofMinutes(1);

	/** The type of a scope that any write to its partition changes. */
	static final String ANY_TYPE = "*";

	private static final char SEPARATOR = ',';

	/** Ends the sender's name at the start of a notification's payload. */
	private static final char SENDER = '|';

	private final String sender = UUID.randomUUID().toString();

	private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

	private final AtomicLong epoch = new AtomicLong();

	private final Cache<Kept, Object> entries;

	private volatile boolean listening;

	/**
	 * @param size the most kept, a count weighing one and a page one per id and one more
	 * (least recently used go first)
	 */
	ResultCache(long size) {
		this.entries = Caffeine.newBuilder()
			.maximumWeight(size)
			.weigher((Kept kept, Object value) -> (value instanceof Page page) ? page.ids().size() + 1 : 1)
			.expireAfterWrite(LIFETIME)
			.recordStats()
			.build();
	}

	/**
	 * A partition's resource type, as writes name it and searches look it up.
	 * @param partitionId the partition's id
	 * @param resourceType the type
	 * @return the scope
	 */
	static String scope(int partitionId, String resourceType) {
		return partitionId + ":" + resourceType;
	}

	/**
	 * A search, with everything its answer depends on.
	 *
	 * @param partitionId the one partition it reads
	 * @param resourceType the type it reads, or {@value #ANY_TYPE} if it reads any
	 * @param query its parameters, normalized by HAPI
	 */
	record Key(int partitionId, String resourceType, String query) {

		String scope() {
			return ResultCache.scope(this.partitionId, this.resourceType);
		}

	}

	/**
	 * The generations a search's query began in.
	 *
	 * @param epoch the epoch
	 * @param generation the generation of the search's scope
	 */
	record Stamp(long epoch, long generation) {

	}

	/**
	 * The id of a search HAPI stored, with its results.
	 *
	 * @param uuid the search's id
	 */
	private record Stored(String uuid) {

	}

	/**
	 * The ids of a page of results.
	 *
	 * @param ids the ids, in order
	 */
	private record Page(List<JpaPid> ids) {

	}

	/**
	 * An answer as kept: stale ones are never asked for again, and leave as the least
	 * recently used.
	 */
	private record Kept(Key key, Stamp stamp) {

	}

	/**
	 * Where a search's query begins: read before the query, kept with its answer.
	 * @param key the search
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
		return (this.entries.getIfPresent(new Kept(key, current)) instanceof Integer count) ? count : null;
	}

	/**
	 * A page of results kept from a query that began in the current generations.
	 * @param key the search
	 * @param current its stamp now
	 * @return the ids of its results, in order, or null
	 */
	List<JpaPid> page(Key key, Stamp current) {
		return (this.entries.getIfPresent(new Kept(key, current)) instanceof Page page) ? page.ids() : null;
	}

	/**
	 * A stored search kept from a search that began in the current generations.
	 * @param key the search
	 * @param current its stamp now
	 * @return the stored search's id, or null
	 */
	String stored(Key key, Stamp current) {
		return (this.entries.getIfPresent(new Kept(key, current)) instanceof Stored stored) ? stored.uuid() : null;
	}

	/**
	 * Keeps the id of a stored search; used while nothing it depends on has changed since
	 * its stamp.
	 * @param key the search
	 * @param stamp the stamp read before it began
	 * @param uuid the stored search's id
	 */
	void put(Key key, Stamp stamp, String uuid) {
		this.entries.put(new Kept(key, stamp), new Stored(uuid));
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
	 * Keeps a page of results; used while nothing it depends on has changed since its
	 * stamp.
	 * @param key the search
	 * @param stamp the stamp read before its query began
	 * @param ids the ids of its results, in order, not to be changed once kept
	 */
	void put(Key key, Stamp stamp, List<JpaPid> ids) {
		this.entries.put(new Kept(key, stamp), new Page(ids));
	}

	/**
	 * Writes to these scopes have committed: their answers are stale.
	 * @param scopes the scopes, or {@value #EVERYTHING}
	 */
	void changed(Collection<String> scopes) {
		for (String scope : scopes) {
			if (EVERYTHING.equals(scope)) {
				this.epoch.incrementAndGet();
			}
			else {
				this.generations.computeIfAbsent(scope, (any) -> new AtomicLong()).incrementAndGet();
				int type = scope.indexOf(':');
				if (type > 0 && !scope.endsWith(":" + ANY_TYPE)) {
					String partition = scope.substring(0, type) + ":" + ANY_TYPE;
					this.generations.computeIfAbsent(partition, (any) -> new AtomicLong()).incrementAndGet();
				}
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

	/**
	 * The payload of this server's notification for scopes written together: its name,
	 * then the scopes.
	 * @param scopes the scopes
	 * @param limit the longest payload; more scopes are sent as {@value #EVERYTHING}
	 * @return the payload
	 */
	String notification(Collection<String> scopes, int limit) {
		return this.sender + SENDER + payload(scopes, limit - this.sender.length() - 1);
	}

	/**
	 * Makes stale what the notifications' scopes change, but for this server's own
	 * notifications; a payload without a sender comes from another server.
	 */
	@Override
	public void notified(List<String> payloads) {
		for (String payload : payloads) {
			int end = payload.indexOf(SENDER);
			if (end == this.sender.length() && payload.startsWith(this.sender)) {
				continue;
			}
			changed(List.of(payload.substring(end + 1).split(String.valueOf(SEPARATOR))));
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
	 * Publishes the kept answers' hits, misses, puts, evictions and size as Micrometer's
	 * cache metrics ({@code cache_gets_total{cache="results",result="hit"}} and so on).
	 * @param registry the server's meters
	 */
	void bindTo(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, this.entries, "results");
	}

	boolean isListening() {
		return this.listening;
	}

}
