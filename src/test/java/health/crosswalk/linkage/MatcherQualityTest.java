package health.crosswalk.linkage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import health.crosswalk.linkage.Matcher.Comparison;
import health.crosswalk.linkage.Matcher.Decision;
import health.crosswalk.linkage.SyntheticPeople.Record;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matcher's quality on labelled synthetic people (seeded, so the figures are
 * repeatable): precision and recall of automatic links over record pairs, with candidates
 * found through the blocking keys exactly as the server finds them.
 */
class MatcherQualityTest {

	@Test
	void autoLinksArePreciseAndFindMostSamePersonPairs() {
		List<Record> records = SyntheticPeople.generate(20261121L, 4000);
		Matcher matcher = new Matcher(LinkageRules.DEFAULT);

		Map<String, List<Integer>> blocks = new HashMap<>();
		for (int i = 0; i < records.size(); i++) {
			for (String key : Matcher.blockingKeys(records.get(i).demographics())) {
				blocks.computeIfAbsent(key, (k) -> new ArrayList<>()).add(i);
			}
		}
		Set<Long> candidatePairs = new HashSet<>();
		for (List<Integer> block : blocks.values()) {
			for (int i = 0; i < block.size(); i++) {
				for (int j = i + 1; j < block.size(); j++) {
					candidatePairs.add(pair(block.get(i), block.get(j)));
				}
			}
		}
		long truePairs = countTruePairs(records);
		long linked = 0;
		long correct = 0;
		long review = 0;
		for (long pair : candidatePairs) {
			Record a = records.get((int) (pair >> 32));
			Record b = records.get((int) pair);
			Comparison comparison = matcher.compare(a.demographics(), b.demographics());
			Decision decision = matcher.decide(comparison);
			if (decision == Decision.LINK) {
				linked++;
				if (a.person() == b.person()) {
					correct++;
				}
			}
			else if (decision == Decision.REVIEW) {
				review++;
			}
		}
		double precision = (double) correct / linked;
		double recall = (double) correct / truePairs;
		System.out.printf(
				"Matcher %s on %d records of %d people: %d candidate pairs, %d true pairs, %d auto-linked "
						+ "(%d correct), %d for review; precision %.4f, recall %.4f%n",
				LinkageRules.DEFAULT.version(), records.size(), 4000, candidatePairs.size(), truePairs, linked, correct,
				review, precision, recall);

		assertThat(precision).as("precision of auto-links").isGreaterThanOrEqualTo(0.995);
		assertThat(recall).as("recall of auto-links").isGreaterThanOrEqualTo(0.90);
	}

	private static long countTruePairs(List<Record> records) {
		Map<Integer, Integer> perPerson = new HashMap<>();
		records.forEach((record) -> perPerson.merge(record.person(), 1, Integer::sum));
		return perPerson.values().stream().mapToLong((n) -> (long) n * (n - 1) / 2).sum();
	}

	private static long pair(int a, int b) {
		int low = Math.min(a, b);
		int high = Math.max(a, b);
		return ((long) low << 32) | high;
	}

}
