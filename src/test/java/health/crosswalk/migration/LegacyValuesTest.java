package health.crosswalk.migration;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Column values as JSON files and JDBC drivers give them, read in the store's zone, and a
 * value that is none refused with its column's name.
 */
class LegacyValuesTest {

	private static final ZoneId NAIROBI = ZoneId.of("Africa/Nairobi");

	private static LegacyValues row(Object... columnsAndValues) {
		Map<String, Object> row = new HashMap<>();
		for (int i = 0; i < columnsAndValues.length; i += 2) {
			row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
		}
		return new LegacyValues(row, NAIROBI);
	}

	@Test
	void pointsInTimeWithoutAnOffsetAreReadInTheStoresZone() {
		Instant expected = Instant.parse("2026-03-01T06:15:00Z");
		assertThat(row("t", "2026-03-01 09:15:00").instant("t")).isEqualTo(expected);
		assertThat(row("t", LocalDateTime.of(2026, 3, 1, 9, 15)).instant("t")).isEqualTo(expected);
		assertThat(row("t", "2026-03-01T06:15:00Z").instant("t")).isEqualTo(expected);
		assertThat(row("t", Timestamp.from(expected)).instant("t")).isEqualTo(expected);
		assertThat(row("t", java.sql.Date.valueOf(LocalDate.of(2026, 3, 1))).instant("t"))
			.isEqualTo(Instant.parse("2026-02-28T21:00:00Z"));
		assertThat(row("t", " ").instant("t")).isNull();
	}

	@Test
	void numbersDatesAndTimesAreReadOrRefusedByColumn() {
		assertThat(row("n", "72").integer("n")).isEqualTo(72L);
		assertThat(row("n", 72.0).integer("n")).isEqualTo(72L);
		assertThat(row("n", "x").integerOrNull("n")).isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> row("heart_rate", "7.5").integer("heart_rate"))
			.withMessage("heart_rate '7.5' is not a whole number");
		assertThat(row("d", "36.8").decimal("d")).isEqualByComparingTo(new BigDecimal("36.8"));
		assertThat(row("d", "1961-04-12T00:00:00Z").date("d")).isEqualTo(LocalDate.of(1961, 4, 12));
		assertThatIllegalArgumentException().isThrownBy(() -> row("d", "12/04/1961").date("d"))
			.withMessageContaining("is not a date");
		assertThat(row("t", "10:30").time("t")).isEqualTo(LocalTime.of(10, 30));
		assertThat(row("f", "t").flag("f", false)).isTrue();
		assertThat(row().flag("f", true)).isTrue();
	}

}
