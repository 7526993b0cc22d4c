package health.crosswalk.bulk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which export files a pass removes, on fakes of the register, the jobs and the store.
 */
class ExportPurgeTest {

	private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

	private static final Duration RETENTION = Duration.ofHours(2);

	private final Map<String, ExportPurge.File> register = new HashMap<>();

	private final Set<String> heldElsewhere = new HashSet<>();

	private final Map<String, Optional<Instant>> jobs = new HashMap<>();

	private final List<String> removed = new ArrayList<>();

	private final ExportPurge.Files files = new ExportPurge.Files() {

		@Override
		public List<ExportPurge.File> writtenBefore(Instant cutoff, ExportPurge.File after, int limit) {
			return ExportPurgeTest.this.register.values()
				.stream()
				.filter((file) -> file.written().isBefore(cutoff))
				.sorted(Comparator.comparing(ExportPurge.File::written).thenComparing(ExportPurge.File::binaryId))
				.filter((file) -> after == null || file.written().isAfter(after.written())
						|| (file.written().equals(after.written()) && file.binaryId().compareTo(after.binaryId()) > 0))
				.limit(limit)
				.toList();
		}

		@Override
		public boolean claim(String binaryId, Duration lease) {
			return !ExportPurgeTest.this.heldElsewhere.contains(binaryId);
		}

		@Override
		public void forget(String binaryId) {
			ExportPurgeTest.this.register.remove(binaryId);
		}

	};

	private final ExportPurge purge = new ExportPurge(this.files,
			(jobId) -> this.jobs.getOrDefault(jobId, Optional.of(Instant.EPOCH)), (file) -> {
				if (file.binaryId().startsWith("broken")) {
					throw new IllegalStateException("database unavailable");
				}
				this.removed.add(file.binaryId());
			}, RETENTION, Duration.ofMinutes(10), Clock.systemUTC());

	private void file(String binaryId, String jobId, Duration age) {
		this.register.put(binaryId, new ExportPurge.File(binaryId, 7, jobId, NOW.minus(age)));
	}

	@Test
	void filesOfExportsOverLongerThanTheRetentionAreRemovedAndForgotten() {
		this.jobs.put("done-long-ago", Optional.of(NOW.minus(Duration.ofHours(3))));
		this.jobs.put("done-recently", Optional.of(NOW.minus(Duration.ofHours(1))));
		this.jobs.put("running", Optional.empty());
		file("a", "done-long-ago", Duration.ofHours(4));
		file("b", "forgotten", Duration.ofHours(5));
		file("c", "done-recently", Duration.ofHours(3));
		file("d", "running", Duration.ofHours(9));
		file("e", "done-long-ago", Duration.ofHours(1));

		assertThat(this.purge.purge(NOW)).isEqualTo(2);
		assertThat(this.removed).containsExactlyInAnyOrder("a", "b");
		assertThat(this.register).containsOnlyKeys("c", "d", "e");
	}

	@Test
	void aFileAnotherServerHoldsOrThatCannotBeRemovedStaysForALaterPass() {
		file("held", "forgotten", Duration.ofHours(3));
		file("broken", "forgotten", Duration.ofHours(3));
		file("ok", "forgotten", Duration.ofHours(3));
		this.heldElsewhere.add("held");

		assertThat(this.purge.purge(NOW)).isEqualTo(1);
		assertThat(this.register).containsOnlyKeys("held", "broken");
		this.heldElsewhere.clear();
		assertThat(this.purge.purge(NOW)).isEqualTo(1);
		assertThat(this.register).containsOnlyKeys("broken");
	}

	@Test
	void aPassPagesPastFilesOfAnExportStillRunningToTheOnesItCanRemove() {
		this.jobs.put("running", Optional.empty());
		for (int i = 0; i < ExportPurge.PAGE_SIZE + 5; i++) {
			file(String.format("r%04d", i), "running", Duration.ofHours(10));
		}
		file("old", "forgotten", Duration.ofHours(3));

		assertThat(this.purge.purge(NOW)).isEqualTo(1);
		assertThat(this.removed).containsExactly("old");
	}

}
