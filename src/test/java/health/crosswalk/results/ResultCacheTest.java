package health.crosswalk.results;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A count is answered from memory only while nothing it counts has been written since its
 * query began, and only while the server hears every other server's writes.
 */
class ResultCacheTest {

	private static final ResultCache.Key OBSERVATIONS = new ResultCache.Key(7, "Observation", "?code=a");

	private static final ResultCache.Key PATIENTS = new ResultCache.Key(7, "Patient", "?family=a");

	private static final ResultCache.Key ELSEWHERE = new ResultCache.Key(8, "Observation", "?code=a");

	@Test
	void nothingIsKeptWhileNotListening() {
		ResultCache cache = new ResultCache(100);
		assertThat(cache.stamp(OBSERVATIONS)).isNull();
		cache.listening(true);
		ResultCache.Stamp stamp = cache.stamp(OBSERVATIONS);
		cache.put(OBSERVATIONS, stamp, 3);
		assertThat(kept(cache, OBSERVATIONS)).isEqualTo(3);
		cache.listening(false);
		assertThat(cache.stamp(OBSERVATIONS)).isNull();
		cache.listening(true);
		assertThat(kept(cache, OBSERVATIONS)).isNull();
	}

	@Test
	void aWriteMakesItsOwnScopeStaleOnly() {
		ResultCache cache = listening();
		keep(cache, OBSERVATIONS, 3);
		keep(cache, PATIENTS, 4);
		keep(cache, ELSEWHERE, 5);
		cache.changed(List.of(ResultCache.scope(7, "Observation")));
		assertThat(kept(cache, OBSERVATIONS)).isNull();
		assertThat(kept(cache, PATIENTS)).isEqualTo(4);
		assertThat(kept(cache, ELSEWHERE)).isEqualTo(5);
	}

	@Test
	void aCountWhoseQueryRacedAWriteIsNeverUsedAfterIt() {
		ResultCache cache = listening();
		ResultCache.Stamp before = cache.stamp(OBSERVATIONS);
		// The write commits while the query runs; the query's answer arrives after.
		cache.changed(List.of(ResultCache.scope(7, "Observation")));
		cache.put(OBSERVATIONS, before, 3);
		assertThat(kept(cache, OBSERVATIONS)).isNull();
	}

	@Test
	void notificationsNameScopesOrEverything() {
		ResultCache cache = listening();
		keep(cache, OBSERVATIONS, 3);
		keep(cache, PATIENTS, 4);
		cache.notified(List.of(ResultCache.payload(List.of("7:Patient", "9:Encounter"), 100)));
		assertThat(kept(cache, OBSERVATIONS)).isEqualTo(3);
		assertThat(kept(cache, PATIENTS)).isNull();
		cache.notified(List.of(ResultCache.EVERYTHING));
		assertThat(kept(cache, OBSERVATIONS)).isNull();
	}

	@Test
	void aServerPassesOverItsOwnNotifications() {
		ResultCache cache = listening();
		ResultCache other = listening();
		keep(cache, OBSERVATIONS, 3);
		// Its own write raised the generation at the commit; the notification follows.
		cache.notified(List.of(cache.notification(List.of("7:Observation"), 100)));
		assertThat(kept(cache, OBSERVATIONS)).isEqualTo(3);
		cache.notified(List.of(other.notification(List.of("7:Observation"), 100)));
		assertThat(kept(cache, OBSERVATIONS)).as("another server's write").isNull();
		keep(cache, OBSERVATIONS, 3);
		cache.notified(List.of(other.notification(List.of("7:Patient", "7:Observation"), 40)));
		assertThat(kept(cache, OBSERVATIONS)).as("too many scopes for the payload: everything").isNull();
	}

	@Test
	void aPayloadTooLongForPostgresqlSaysEverything() {
		assertThat(ResultCache.payload(List.of("7:Patient", "7:Observation"), 100))
			.isEqualTo("7:Patient,7:Observation");
		assertThat(ResultCache.payload(List.of("7:Patient", "7:Observation"), 10)).isEqualTo(ResultCache.EVERYTHING);
		assertThat(ResultCache.payload(List.of("7:Patient", ResultCache.EVERYTHING), 100))
			.isEqualTo(ResultCache.EVERYTHING);
		assertThat(ResultCache.payload(List.of(), 100)).isEqualTo(ResultCache.EVERYTHING);
	}

	private static ResultCache listening() {
		ResultCache cache = new ResultCache(100);
		cache.listening(true);
		return cache;
	}

	private static void keep(ResultCache cache, ResultCache.Key key, int count) {
		cache.put(key, cache.stamp(key), count);
		assertThat(kept(cache, key)).isEqualTo(count);
	}

	/**
	 * What a count would be answered with now.
	 */
	private static Integer kept(ResultCache cache, ResultCache.Key key) {
		return cache.get(key, cache.stamp(key));
	}

}
