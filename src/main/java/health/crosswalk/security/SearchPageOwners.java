package health.crosswalk.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Remembers whose partition each stored search belongs to, so a paging link
 * ({@code ?_getpages=...}) works only for callers of that partition. HAPI loads a page by
 * its search id alone; without this, anyone holding another hospital's link could read
 * that page. Kept in the database so every server of a cluster agrees.
 */
final class SearchPageOwners {

	// HAPI keeps a search while it is paged; a day covers any realistic paging session.
	private static final Duration KEEP = Duration.ofHours(24);

	private static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(10);

	private final JdbcTemplate jdbc;

	private final AtomicReference<Instant> lastCleanup = new AtomicReference<>(Instant.now());

	SearchPageOwners(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	void record(String searchUuid, String partitionKey) {
		this.jdbc.update("INSERT INTO crosswalk.search_page_owner (search_uuid, partition_key) VALUES (?, ?) "
				+ "ON CONFLICT (search_uuid) DO NOTHING", searchUuid, partitionKey);
		Instant last = this.lastCleanup.get();
		Instant now = Instant.now();
		if (last.plus(CLEANUP_INTERVAL).isBefore(now) && this.lastCleanup.compareAndSet(last, now)) {
			this.jdbc.update(
					"DELETE FROM crosswalk.search_page_owner WHERE created_at < now() - make_interval(secs => ?)",
					KEEP.toSeconds());
		}
	}

	Optional<String> owner(String searchUuid) {
		return this.jdbc
			.query("SELECT partition_key FROM crosswalk.search_page_owner WHERE search_uuid = ?",
					(rs, i) -> rs.getString(1), searchUuid)
			.stream()
			.findFirst();
	}

}
