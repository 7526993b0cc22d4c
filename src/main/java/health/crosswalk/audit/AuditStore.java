package health.crosswalk.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code crosswalk.audit_event} table: appends rows, reads and searches them. It
 * never updates or deletes; the table refuses that anyway.
 */
final class AuditStore {

	/** The columns {@link #row} reads. */
	static final String COLUMNS = "id, recorded, hospital, type, subtypes, action, outcome, patient, agents, "
			+ "entities, source, request_id, " + AuditText.COLUMNS;

	private static final String INSERT = "INSERT INTO crosswalk.audit_event (id, recorded, hospital, type, subtypes, "
			+ "action, outcome, patient, agents, entities, source, request_id, resource_deflated, resource_dictionary"
			+ ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private final JdbcTemplate jdbc;

	private final AuditText text;

	AuditStore(JdbcTemplate jdbc, AuditText text) {
		this.jdbc = jdbc;
		this.text = text;
	}

	/**
	 * Appends rows in the transaction the current thread takes part in (a write's).
	 * @param rows the rows
	 */
	void appendInCurrentTransaction(List<AuditRow> rows) {
		this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			append(connection, this.text, rows);
			return null;
		});
	}

	/**
	 * Appends rows on a connection; the caller commits.
	 * @param connection a connection in a transaction
	 * @param text how the JSON is stored
	 * @param rows the rows
	 * @throws SQLException if the database refuses
	 */
	static void append(Connection connection, AuditText text, List<AuditRow> rows) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
			for (AuditRow row : rows) {
				insert.setObject(1, row.id());
				// As an instant with its offset, which the driver formats with
				// java.time instead of through a Calendar, as it does a Timestamp.
				insert.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(row.recorded()), ZoneOffset.UTC));
				insert.setString(3, row.hospital());
				insert.setString(4, row.type());
				insert.setArray(5, texts(connection, row.subtypes()));
				insert.setString(6, String.valueOf(row.action()));
				insert.setInt(7, row.outcome());
				insert.setString(8, row.patient());
				insert.setArray(9, texts(connection, row.agents()));
				insert.setArray(10, texts(connection, row.entities()));
				insert.setString(11, row.source());
				insert.setString(12, row.requestId());
				AuditText.Compressed stored = text.compress(connection, row.resource());
				insert.setBytes(13, stored.bytes());
				insert.setInt(14, stored.dictionary());
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	/**
	 * The AuditEvent with this id.
	 * @param id its id
	 * @return its JSON, if it exists
	 */
	Optional<String> read(UUID id) {
		return this.jdbc
			.query("SELECT " + AuditText.COLUMNS + " FROM crosswalk.audit_event WHERE id = ?",
					(rs, i) -> this.text.read(rs), id)
			.stream()
			.findFirst();
	}

	/**
	 * AuditEvents matching a query, newest or oldest first.
	 * @param query the conditions
	 * @param offset rows to skip
	 * @param limit rows to return at most
	 * @return the JSON of each
	 */
	List<String> search(AuditQuery query, int offset, int limit) {
		List<Object> arguments = new ArrayList<>(query.arguments());
		arguments.add(limit);
		arguments.add(offset);
		return this.jdbc.query("SELECT " + AuditText.COLUMNS + " FROM crosswalk.audit_event WHERE " + query.where()
				+ " ORDER BY recorded " + (query.newestFirst() ? "DESC, seq DESC" : "ASC, seq ASC")
				+ " LIMIT ? OFFSET ?", (rs, i) -> this.text.read(rs), arguments.toArray());
	}

	/**
	 * How many AuditEvents match a query.
	 * @param query the conditions
	 * @return the count
	 */
	long count(AuditQuery query) {
		Long count = this.jdbc.queryForObject("SELECT count(*) FROM crosswalk.audit_event WHERE " + query.where(),
				Long.class, query.arguments().toArray());
		return (count != null) ? count : 0;
	}

	/**
	 * Creates the monthly partitions from this month on.
	 * @param today the current date (UTC)
	 * @param monthsAhead how many months after this one
	 */
	void ensurePartitions(LocalDate today, int monthsAhead) {
		for (LocalDate month : months(today, monthsAhead)) {
			this.jdbc.query("SELECT crosswalk.ensure_audit_partition(?)", (rs) -> null, month);
		}
	}

	/**
	 * Creates the monthly partitions from this month on, each in a transaction of its own
	 * that waits at most two seconds for its lock: attaching a partition needs an
	 * exclusive lock on the trail, and queued behind a long holder of a share lock (a
	 * backup's pg_dump) it would hold up every audit write behind it. A month that cannot
	 * get its lock now is left for the next pass; records of a month without its
	 * partition land in the default one, never lost.
	 * @param today the current date (UTC)
	 * @param monthsAhead how many months after this one
	 * @return the months left for later
	 */
	List<LocalDate> ensurePartitionsPatiently(LocalDate today, int monthsAhead) {
		List<LocalDate> later = new ArrayList<>();
		for (LocalDate month : months(today, monthsAhead)) {
			boolean made = this.jdbc.execute((ConnectionCallback<Boolean>) (connection) -> {
				boolean autoCommit = connection.getAutoCommit();
				connection.setAutoCommit(false);
				try (PreparedStatement timeout = connection.prepareStatement("SET LOCAL lock_timeout = '2s'");
						PreparedStatement ensure = connection
							.prepareStatement("SELECT crosswalk.ensure_audit_partition(?)")) {
					timeout.execute();
					ensure.setObject(1, month);
					ensure.execute();
					connection.commit();
					return true;
				}
				catch (SQLException ex) {
					connection.rollback();
					if ("55P03".equals(ex.getSQLState())) {
						return false;
					}
					throw ex;
				}
				finally {
					connection.setAutoCommit(autoCommit);
				}
			});
			if (!made) {
				later.add(month);
			}
		}
		return later;
	}

	/** From the day before: partition bounds are read in the session's time zone. */
	private static List<LocalDate> months(LocalDate today, int monthsAhead) {
		List<LocalDate> months = new ArrayList<>();
		LocalDate last = today.withDayOfMonth(1).plusMonths(monthsAhead);
		for (LocalDate month = today.minusDays(1).withDayOfMonth(1); !month.isAfter(last); month = month
			.plusMonths(1)) {
			months.add(month);
		}
		return months;
	}

	/**
	 * A row read with {@link #COLUMNS}.
	 * @param rs the row
	 * @param text how its JSON is stored
	 * @return the record
	 * @throws SQLException if the database fails
	 * @throws AuditText.UnreadableRecordException if its JSON cannot be read back
	 */
	static AuditRow row(ResultSet rs, AuditText text) throws SQLException {
		return new AuditRow(rs.getObject("id", UUID.class), rs.getTimestamp("recorded").getTime(),
				rs.getString("hospital"), rs.getString("type"), strings(rs.getArray("subtypes")),
				rs.getString("action").charAt(0), rs.getInt("outcome"), rs.getString("patient"),
				strings(rs.getArray("agents")), strings(rs.getArray("entities")), rs.getString("source"),
				rs.getString("request_id"), text.read(rs));
	}

	static LocalDate utcToday() {
		return LocalDate.now(ZoneOffset.UTC);
	}

	private static Array texts(Connection connection, List<String> values) throws SQLException {
		return connection.createArrayOf("text", values.toArray());
	}

	private static List<String> strings(Array array) throws SQLException {
		return (array != null) ? Arrays.asList((String[]) array.getArray()) : List.of();
	}

}
