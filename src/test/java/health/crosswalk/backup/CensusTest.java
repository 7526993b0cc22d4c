package health.crosswalk.backup;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every figure of a census a restore must reproduce is compared.
 */
class CensusTest {

	private static final Census SOURCE = new Census(Map.of("public.hfj_resource", 10L, "crosswalk.hospital", 2L),
			Map.of("north", Map.of("Patient", 3L, "Observation", 7L)), "17 rows, sha256 aa", "900 rows, sha256 bb", 1,
			42, "cafe", 3);

	@Test
	void anEqualCensusHasNoDifference() {
		Census copy = new Census(Map.of("crosswalk.hospital", 2L, "public.hfj_resource", 10L),
				Map.of("north", Map.of("Observation", 7L, "Patient", 3L)), "17 rows, sha256 aa", "900 rows, sha256 bb",
				1, 42, "cafe", 3);

		assertThat(SOURCE.differences(copy)).isEmpty();
		assertThat(SOURCE.resourceCount()).isEqualTo(10);
	}

	@Test
	void eachMissingOrDifferentFigureIsNamed() {
		Census copy = new Census(Map.of("public.hfj_resource", 9L),
				Map.of("north", Map.of("Patient", 3L, "Observation", 6L), "south", Map.of("Patient", 1L)),
				"16 rows, sha256 ab", "900 rows, sha256 bb", 0, 41, "beef", 4);

		assertThat(SOURCE.differences(copy)).containsExactly(
				"table crosswalk.hospital: 2 rows in the backup's source, no table restored",
				"table public.hfj_resource: 10 rows in the backup's source, 9 rows restored",
				"north Observation: 7 resources in the source, 6 restored",
				"south Patient: 0 resources in the source, 1 restored",
				"Crosswalk's migration history (Flyway): 17 rows, sha256 aa in the source, 16 rows, sha256 ab restored",
				"large objects: 1 in the source, 0 restored",
				"audit chain head: position 42 cafe in the source, 41 beef restored",
				"unsealed audit records: 3 in the source, 4 restored");
	}

}
