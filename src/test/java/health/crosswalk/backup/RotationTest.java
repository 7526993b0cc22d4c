package health.crosswalk.backup;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The default policy (7 daily, 4 weekly, 3 monthly) over a year of backups taken twice a
 * day.
 */
class RotationTest {

	private static final Instant LAST = Instant.parse("2026-12-04T22:00:00Z");

	@Test
	void keepsTheNewestOfEachRecentDayWeekAndMonth() {
		List<Instant> backups = new ArrayList<>();
		for (int half = 0; half < 730; half++) {
			backups.add(LAST.minus(12L * half, ChronoUnit.HOURS));
		}

		Set<Instant> kept = new Rotation(7, 4, 3).keep(backups);

		assertThat(kept).contains(LAST)
			// Days: 4 Dec back to 28 Nov, the 22:00 (later) backup of each.
			.contains(Instant.parse("2026-11-28T22:00:00Z"))
			.doesNotContain(Instant.parse("2026-12-04T10:00:00Z"), Instant.parse("2026-11-27T10:00:00Z"))
			// Weeks: ISO week 49 is today's; 48, 47 and 46 end on Sundays 29, 22, 15 Nov.
			.contains(Instant.parse("2026-11-29T22:00:00Z"), Instant.parse("2026-11-22T22:00:00Z"),
					Instant.parse("2026-11-15T22:00:00Z"))
			.doesNotContain(Instant.parse("2026-11-08T22:00:00Z"))
			// Months: December (today's), November's last, October's last.
			.contains(Instant.parse("2026-11-30T22:00:00Z"), Instant.parse("2026-10-31T22:00:00Z"))
			.doesNotContain(Instant.parse("2026-09-30T22:00:00Z"));
		// 7 days, then weeks 47 and 46 (48's Sunday is a kept day), then October
		// (30 Nov is a kept day, December's newest is today's).
		assertThat(kept).hasSize(7 + 2 + 1);
	}

	@Test
	void aLoneBackupAndTheNewestAreAlwaysKept() {
		assertThat(new Rotation(1, 0, 0).keep(List.of(LAST))).containsExactly(LAST);
		assertThat(new Rotation(1, 0, 0).keep(List.of(LAST.minusSeconds(60), LAST))).containsExactly(LAST);
	}

	@Test
	void aPolicyKeepingNoDayIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Rotation(0, 4, 3))
			.withMessageContaining("keep-daily must be at least 1");
	}

}
