package health.crosswalk.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored search's first pass is a default page; the later passes are HAPI's.
 */
class PrefetchThresholdsTest {

	@Test
	void theFirstPassIsADefaultPageAndTheRestAreHapis() {
		assertThat(ServerConfiguration.prefetchThresholds(20)).containsExactly(20, 503, 2003, 1000003, -1);
		assertThat(ServerConfiguration.prefetchThresholds(600)).containsExactly(600, 2003, 1000003, -1);
		assertThat(ServerConfiguration.prefetchThresholds(5)).containsExactly(5, 13, 503, 2003, 1000003, -1);
	}

}
