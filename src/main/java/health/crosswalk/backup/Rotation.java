package health.crosswalk.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which backups a policy keeps (grandfather-father-son, in UTC): the newest backup of
 * each of the {@code daily} most recent days that have one, of each of the {@code weekly}
 * most recent ISO weeks, and of each of the {@code monthly} most recent months. A backup
 * may count for several; everything else goes.
 *
 * @param daily days kept
 * @param weekly weeks kept
 * @param monthly months kept
 */
record Rotation(int daily, int weekly, int monthly) {

	Rotation {
		if (daily < 1 || weekly < 0 || monthly < 0) {
			throw new IllegalArgumentException("crosswalk.backup.keep-daily must be at least 1, and keep-weekly and "
					+ "keep-monthly at least 0, but were " + daily + ", " + weekly + " and " + monthly);
		}
	}

	/**
	 * The backups to keep.
	 * @param backups when each backup was taken
	 * @return those kept; the newest is always among them
	 */
	Set<Instant> keep(Collection<Instant> backups) {
		List<Instant> newestFirst = backups.stream().sorted(Comparator.reverseOrder()).toList();
		Set<Instant> kept = new LinkedHashSet<>();
		kept.addAll(newestPer(newestFirst, this.daily, (time) -> time.toLocalDate()));
		kept.addAll(newestPer(newestFirst, this.weekly,
				(time) -> time.get(IsoFields.WEEK_BASED_YEAR) * 100 + time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
		kept.addAll(newestPer(newestFirst, this.monthly, (time) -> time.getYear() * 100 + time.getMonthValue()));
		return kept;
	}

	private static List<Instant> newestPer(List<Instant> newestFirst, int periods,
			Function<ZonedDateTime, Object> period) {
		Set<Object> seen = new HashSet<>();
		return newestFirst.stream()
			.filter((time) -> seen.size() < periods && seen.add(period.apply(time.atZone(ZoneOffset.UTC))))
			.toList();
	}

}
