package health.crosswalk.counts;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A count is answered from memory only while nothing it counts has been written since its
 * query began, and only while the server hears every other server's writes.
 */
class CountCacheTest {

	private static final CountCache.Key OBSERVATIONS = new CountCache.Key(7, "Observation", "?code=a");

	private static final CountCache.Key PATIENTS = new CountCache.Key(7, "Patient", "?family=a");

	private static final CountCache.Key ELSEWHERE = new CountCache.Key(8, "Observation", "?code=a");

	@Test
	void nothingIsKeptWhileNotListening() {
		CountCache cache = new CountCache(100);
		assertThat(cache.stamp(OBSERVATIONS)).isNull();
		cache.listening(true);
		CountCache.Stamp stamp = cache.stamp(OBSERVATIONS);
		cache.put(OBSERVATIONS, stamp, 3);
		assertThat(kept(cache, OBSERVATIONS)).isEqualTo(3);
		cache.listening(false);
		assertThat(cache.stamp(OBSERVATIONS)).isNull();
		cache.listening(true);
		assertThat(kept(cache, OBSERVATIONS)).isNull();
	}

	@Test
	void aWriteMakesItsOwnScopeStaleOnly() {
		CountCache cache = listening();
		keep(cache, OBSERVATIONS, 3);
		keep(cache, PATIENTS, 4);
		keep(cache, ELSEWHERE, 5);
		cache.changed(List.of(CountCache.scope(7, "Observation")));
		assertThat(kept(cache, OBSERVATIONS)).isNull();
		assertThat(kept(cache, PATIENTS)).isEqualTo(4);
		assertThat(kept(cache, ELSEWHERE)).isEqualTo(5);
	}

	@Test
	void aCountWhoseQueryRacedAWriteIsNeverUsedAfterIt() {
		CountCache cache = listening();
		CountCache.Stamp before = cache.stamp(OBSERVATIONS);
		// The write commits while the query runs; the query's answer arrives after.
		cache.changed(List.of(CountCache.scope(7, "Observation")));
		cache.put(OBSERVATIONS, before, 3);
		assertThat(kept(cache, OBSERVATIONS)).isNull();
	}

	@Test
	void notificationsNameScopesOrEverything() {
		CountCache cache = listening();
		keep(cache, OBSERVATIONS, 3);
		keep(cache, PATIENTS, 4);
		cache.notified(List.of(CountCache.payload(List.of("7:Patient", "9:Encounter"), 100)));
		assertThat(kept(cache, OBSERVATIONS)).isEqualTo(3);
		assertThat(kept(cache, PATIENTS)).isNull();
		cache.notified(List.of(CountCache.EVERYTHING));
		assertThat(kept(cache, OBSERVATIONS)).isNull();
	}

	@Test
	void aPayloadTooLongForPostgresqlSaysEverything() {
		assertThat(CountCache.payload(List.of("7:Patient", "7:Observation"), 100)).isEqualTo("7:Patient,7:Observation");
		assertThat(CountCache.payload(List.of("7:Patient", "7:Observation"), 10)).isEqualTo(CountCache.EVERYTHING);
		assertThat(CountCache.payload(List.of("7:Patient", CountCache.EVERYTHING), 100))
			.isEqualTo(CountCache.EVERYTHING);
		assertThat(CountCache.payload(List.of(), 100)).isEqualTo(CountCache.EVERYTHING);
	}

	private static CountCache listening() {
		CountCache cache = new CountCache(100);
		cache.listening(true);
		return cache;
	}

	private static void keep(CountCache cache, CountCache.Key key, int count) {
		cache.put(key, cache.stamp(key), count);
		assertThat(kept(cache, key)).isEqualTo(count);
	}

	/**
	 * What a count would be answered with now.
	 */
	private static Integer kept(CountCache cache, CountCache.Key key) {
		return cache.get(key, cache.stamp(key));
	}

}
