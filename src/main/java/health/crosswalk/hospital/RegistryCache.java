package health.crosswalk.hospital;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.crosswalk.database.Notifications;

/**
 * What every request reads of the registry (an API key with its hospital, a hospital by
 * slug), kept in memory for as long as PostgreSQL says nothing in the registry changed.
 *
 * <p>
 * Each change to a key's or a hospital's row notifies every server at its commit
 * ({@code V23}'s triggers on the channel {@code crosswalk_registry}, received through the
 * server's {@link Notifications} session), and each change made through this server's
 * registry also tells the cache at once. A notification makes everything read so far
 * stale: the cache counts generations, each entry keeps the generation in which its read
 * began, and only entries of the current generation are used, so a read that raced a
 * change is never kept past it. While no session listens (at start, after a lost
 * connection) every call reads the database, as before. An entry is used until the key's
 * expiry by this server's clock, and never for longer than a minute, the bound should a
 * notification ever be lost unnoticed. A key or slug that is not found is not kept:
 * unknown ids presented by a client cost a statement each, and no memory.
 */
final class RegistryCache implements Notifications.Subscriber {

	/** The channel {@code V23}'s triggers notify. */
	static final String CHANNEL = "crosswalk_registry";

	/** The longest an entry is used without being read again. */
	static final Duration LIFETIME = Duration.ofMinutes(1);

	private static final int SIZE = 10_000;

	private final Clock clock;

	private final AtomicLong generation = new AtomicLong();

	private volatile boolean listening;

	private final Cache<String, Entry<?>> entries = Caffeine.newBuilder().maximumSize(SIZE).build();

	RegistryCache(Clock clock) {
		this.clock = clock;
	}

	/**
	 * A value read from the registry.
	 *
	 * @param <T> what was read
	 * @param value the value
	 * @param expiresAt when it stops being true by itself (a key's expiry), or null
	 */
	record Read<T>(T value, Instant expiresAt) {

		static <T> Read<T> lasting(T value) {
			return new Read<>(value, null);
		}

	}

	private record Entry<T>(long generation, T value, Instant until) {
	}

	/**
	 * The value under a key, kept or read now.
	 * @param <T> what is read
	 * @param kind what the key names ({@code key}, {@code hospital}), which keeps kinds
	 * apart
	 * @param id the key
	 * @param read how to read it from the database
	 * @return the value, or empty when the database has none
	 */
	@SuppressWarnings("unchecked")
	<T> Optional<T> get(String kind, String id, Function<String, Optional<Read<T>>> read) {
		String key = kind + ' ' + id;
		long current = this.generation.get();
		boolean keep = this.listening;
		Instant now = this.clock.instant();
		if (keep) {
			Entry<T> entry = (Entry<T>) this.entries.getIfPresent(key);
			if (entry != null && entry.generation() == current && now.isBefore(entry.until())) {
				return Optional.of(entry.value());
			}
		}
		Optional<Read<T>> fresh = read.apply(id);
		if (keep && fresh.isPresent()) {
			Instant until = now.plus(LIFETIME);
			Instant expiresAt = fresh.get().expiresAt();
			if (expiresAt != null && expiresAt.isBefore(until)) {
				until = expiresAt;
			}
			this.entries.put(key, new Entry<>(current, fresh.get().value(), until));
		}
		return fresh.map(Read::value);
	}

	/**
	 * Something in the registry changed: everything kept is read again.
	 */
	void changed() {
		this.generation.incrementAndGet();
		this.entries.invalidateAll();
	}

	/**
	 * Whether a session now listens for the registry's changes; only then is anything
	 * kept. Either way, what was kept before is read again.
	 * @param listening whether notifications now arrive
	 */
	@Override
	public void listening(boolean listening) {
		if (listening) {
			changed();
			this.listening = true;
		}
		else {
			this.listening = false;
			changed();
		}
	}

	@Override
	public void notified(List<String> payloads) {
		changed();
	}

	boolean isListening() {
		return this.listening;
	}

}
