package health.crosswalk.backup;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backups taken by {@code java -jar crosswalk.jar backup} ({@code crosswalk.backup.*}).
 *
 * @param dir the folder backups are written to and rotated in
 * @param pgBin the folder of PostgreSQL's client tools ({@code pg_dump},
 * {@code pg_restore}); empty takes them from the {@code PATH}
 * @param keepDaily most recent days whose newest backup is kept (at least 1)
 * @param keepWeekly most recent ISO weeks whose newest backup is kept
 * @param keepMonthly most recent months whose newest backup is kept
 */
@ConfigurationProperties("crosswalk.backup")
record BackupProperties(@DefaultValue("backups") Path dir, Path pgBin, @DefaultValue("7") int keepDaily,
		@DefaultValue("4") int keepWeekly, @DefaultValue("3") int keepMonthly) {

	BackupProperties {
		rotation(keepDaily, keepWeekly, keepMonthly);
	}

	Rotation rotation() {
		return rotation(this.keepDaily, this.keepWeekly, this.keepMonthly);
	}

	private static Rotation rotation(int daily, int weekly, int monthly) {
		return new Rotation(daily, weekly, monthly);
	}

}
