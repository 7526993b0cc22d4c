package health.crosswalk.migration;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Map;

/**
 * Column values of a legacy row, as JSON files and JDBC drivers give them (strings,
 * numbers, SQL dates and timestamps), read as the types a mapping needs. A value that is
 * present but cannot be read is an {@link IllegalArgumentException} naming the column.
 */
final class LegacyValues {

	private final Map<String, Object> row;

	private final ZoneId zone;

	LegacyValues(Map<String, Object> row, ZoneId zone) {
		this.row = row;
		this.zone = zone;
	}

	String text(String column) {
		Object value = this.row.get(column);
		if (value == null) {
			return null;
		}
		String text = value.toString().trim();
		return text.isEmpty() ? null : text;
	}

	Long integer(String column) {
		String text = text(column);
		if (text == null) {
			return null;
		}
		try {
			return new BigDecimal(text).longValueExact();
		}
		catch (ArithmeticException | NumberFormatException ex) {
			throw new IllegalArgumentException(column + " '" + text + "' is not a whole number");
		}
	}

	/**
	 * A whole number, or null when the column is empty or is none: for indexes built
	 * before the rows are read, where the row itself is refused with the reason.
	 */
	Long integerOrNull(String column) {
		try {
			return integer(column);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	BigDecimal decimal(String column) {
		String text = text(column);
		if (text == null) {
			return null;
		}
		try {
			return new BigDecimal(text);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(column + " '" + text + "' is not a number");
		}
	}

	LocalDate date(String column) {
		Object value = this.row.get(column);
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate();
		}
		String text = text(column);
		if (text == null) {
			return null;
		}
		try {
			return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(column + " '" + text + "' is not a date (yyyy-mm-dd)");
		}
	}

	LocalTime time(String column) {
		Object value = this.row.get(column);
		if (value instanceof java.sql.Time time) {
			return time.toLocalTime();
		}
		String text = text(column);
		if (text == null) {
			return null;
		}
		try {
			return LocalTime.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(column + " '" + text + "' is not a time of day (hh:mm)");
		}
	}

	/**
	 * A point in time; one without an offset is read in the store's time zone.
	 */
	Instant instant(String column) {
		Object value = this.row.get(column);
		if (value instanceof java.sql.Date day) {
			// A DATE column: the start of that day in the store's zone.
			return day.toLocalDate().atStartOfDay(this.zone).toInstant();
		}
		if (value instanceof Timestamp timestamp) {
			return timestamp.toInstant();
		}
		if (value instanceof Date date) {
			return date.toInstant();
		}
		if (value instanceof OffsetDateTime offset) {
			return offset.toInstant();
		}
		if (value instanceof LocalDateTime local) {
			return local.atZone(this.zone).toInstant();
		}
		String text = text(column);
		if (text == null) {
			return null;
		}
		String iso = text.replace(' ', 'T');
		try {
			return OffsetDateTime.parse(iso).toInstant();
		}
		catch (DateTimeParseException ex) {
			try {
				return LocalDateTime.parse(iso).atZone(this.zone).toInstant();
			}
			catch (DateTimeParseException again) {
				throw new IllegalArgumentException(column + " '" + text + "' is not a date and time");
			}
		}
	}

	boolean flag(String column, boolean absent) {
		String text = text(column);
		if (text == null) {
			return absent;
		}
		return text.equalsIgnoreCase("true") || text.equals("1") || text.equalsIgnoreCase("t");
	}

}
