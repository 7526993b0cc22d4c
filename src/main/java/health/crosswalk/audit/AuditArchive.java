package health.crosswalk.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.database.PrivateFiles;

/**
 * Moves whole months of the audit trail out of the database into files, never silently:
 * only {@code java -jar crosswalk.jar audit archive} calls it, as the schema's owner.
 *
 * <p>
 * For each monthly partition older than the cut-off, oldest first: every committed record
 * is sealed first; each record is read with its seal and checked against the sealed
 * digest (a record altered in the database is not archived, the month is refused); the
 * records go to {@code crosswalk-audit-<YYYY-MM>.ndjson}, one per line in chain order,
 * with a last line naming the month, its count, its last link and the chain's head at
 * that moment; the file is synced and renamed when whole, then one transaction records it
 * in {@code crosswalk.audit_archive} (with its SHA-256), detaches the partition and drops
 * it. The seal rows stay, so {@code $verify} still checks every link, taking the digests
 * of archived records from their seals. A month whose records sit in the default
 * partition cannot be detached alone and is left in place.
 */
final class AuditArchive {

	private static final Pattern PARTITION = Pattern.compile("audit_event_y(\\d{4})m(\\d{2})");

	private static final Pattern BOUNDS = Pattern.compile("FROM \\('([^']+)'\\) TO \\('([^']+)'\\)");

	private static final HexFormat HEX = HexFormat.of();

	/** Advisory lock held by the one archive run at work. */
	private static final long ARCHIVE_LOCK = 0x43574152434849L;

	private static final ObjectMapper JSON = new ObjectMapper();

	private final DataSource owner;

	private final AuditChain chain;

	AuditArchive(DataSource owner, AuditChain chain) {
		this.owner = owner;
		this.chain = chain;
	}

	/**
	 * Archives every month before a cut-off.
	 * @param folder where the files go
	 * @param before the first month kept
	 * @return the months archived, oldest first
	 */
	List<Archived> archive(Path folder, YearMonth before) throws SQLException, IOException {
		try (Connection session = this.owner.getConnection()) {
			// One archive run at a time across every host: they would share files.
			try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
				lock.setLong(1, ARCHIVE_LOCK);
				try (ResultSet rs = lock.executeQuery()) {
					if (!rs.next() || !rs.getBoolean(1)) {
						throw new ArchiveException("another 'audit archive' is running; try again when it ends");
					}
				}
			}
			try {
				return archiveLocked(folder, before);
			}
			finally {
				try (PreparedStatement unlock = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
					unlock.setLong(1, ARCHIVE_LOCK);
					unlock.execute();
				}
			}
		}
	}

	private List<Archived> archiveLocked(Path folder, YearMonth before) throws SQLException, IOException {
		this.chain.sealCommitted();
		// The files hold patient data: their owner's only.
		PrivateFiles.folder(folder);
		List<Archived> archived = new ArrayList<>();
		for (Month month : months(before)) {
			try {
				archived.add(archive(folder, month));
			}
			catch (SQLException | IOException | RuntimeException ex) {
				if (archived.isEmpty()) {
					throw ex;
				}
				// Earlier months are gone from the database: name them.
				throw new ArchiveException(ex.getMessage() + " (archived before it: "
						+ archived.stream().map((done) -> done.month() + " -> " + done.file()).toList() + ")");
			}
		}
		return archived;
	}

	private List<Month> months(YearMonth before) throws SQLException {
		List<Month> months = new ArrayList<>();
		try (Connection connection = this.owner.getConnection();
				PreparedStatement query = connection.prepareStatement("SELECT c.relname, "
						+ "pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
						+ "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
						+ "WHERE n.nspname = 'crosswalk' AND p.relname = 'audit_event' ORDER BY c.relname");
				ResultSet rows = query.executeQuery()) {
			while (rows.next()) {
				Matcher name = PARTITION.matcher(rows.getString(1));
				Matcher bounds = BOUNDS.matcher(rows.getString(2));
				if (name.matches() && bounds.find()) {
					YearMonth month = YearMonth.of(Integer.parseInt(name.group(1)), Integer.parseInt(name.group(2)));
					if (month.isBefore(before)) {
						months.add(new Month(month, rows.getString(1), instant(connection, bounds.group(1)),
								instant(connection, bounds.group(2))));
					}
				}
			}
		}
		return months;
	}

	private static Instant instant(Connection connection, String literal) throws SQLException {
		try (PreparedStatement cast = connection.prepareStatement("SELECT ?::timestamptz")) {
			cast.setString(1, literal);
			try (ResultSet rs = cast.executeQuery()) {
				rs.next();
				return rs.getTimestamp(1).toInstant();
			}
		}
	}

	private Archived archive(Path folder, Month month) throws SQLException, IOException {
		String name = "crosswalk-audit-" + month.month() + ".ndjson";
		Path file = folder.resolve(name);
		Path partial = folder.resolve(name + ".partial");
		long events = 0;
		Long first = null;
		Long last = null;
		try (Connection connection = this.owner.getConnection()) {
			connection.setAutoCommit(false);
			connection.setReadOnly(true);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			PrivateFiles.create(partial);
			try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
				long unsealed = count(connection, "SELECT count(*) FROM crosswalk." + month.partition()
						+ " e WHERE NOT EXISTS (SELECT 1 FROM crosswalk.audit_seal s WHERE s.event_id = e.id)");
				if (unsealed > 0) {
					throw new ArchiveException(unsealed + " records of " + month.month() + " are not sealed yet: "
							+ "they were committed after the seal this command asked for; run it again");
				}
				String lastHash = null;
				this.chain.text().prepare(connection);
				try (PreparedStatement records = connection.prepareStatement("SELECT s.position, s.previous_hash, "
						+ "s.hash, s.event_digest, s.algorithm, e.seq, e.txid::text AS txid, "
						+ AuditStore.COLUMNS.replaceAll("(^|, )", "$1e.") + " FROM crosswalk." + month.partition()
						+ " e JOIN crosswalk.audit_seal s ON s.event_id = e.id ORDER BY s.position")) {
					records.setFetchSize(1000);
					try (ResultSet rs = records.executeQuery()) {
						while (rs.next()) {
							AuditRow row = AuditStore.row(rs, this.chain.text());
							long position = rs.getLong("position");
							if (!Arrays.equals(ChainHash.digest(row), rs.getBytes("event_digest"))) {
								throw new ArchiveException("the record at chain position " + position + " (" + row.id()
										+ ") differs from its seal: " + month.month() + " is not "
										+ "archived; $verify names the break");
							}
							String algorithm = rs.getString("algorithm");
							if (!this.chain.hash().canVerify(algorithm)) {
								throw new ArchiveException("the record at chain position " + position
										+ " was sealed with a key this command lacks (crosswalk.audit.hmac-key)");
							}
							if (!Arrays.equals(this.chain.hash()
								.link(algorithm, rs.getBytes("previous_hash"), position, rs.getBytes("event_digest")),
									rs.getBytes("hash"))) {
								throw new ArchiveException("the seal at chain position " + position + " does not hold: "
										+ month.month() + " is not archived; $verify names it");
							}
							lastHash = HEX.formatHex(rs.getBytes("hash"));
							out.write(JSON.writeValueAsString(line(rs, row, position, lastHash)));
							out.write('\n');
							first = (first == null) ? position : first;
							last = position;
							events++;
						}
					}
				}
				long sealed = countBetween(connection, month);
				if (sealed != events) {
					throw new ArchiveException(month.month() + " has " + sealed + " seals but " + events
							+ " records: a record of it was deleted, so it is not archived; $verify names it");
				}
				Map<String, Object> summary = new LinkedHashMap<>();
				summary.put("month", month.month().toString());
				summary.put("partition", month.partition());
				summary.put("recordedFrom", month.from().toString());
				summary.put("recordedTo", month.to().toString());
				summary.put("events", events);
				summary.put("lastPosition", last);
				summary.put("lastHash", lastHash);
				summary.put("chainHead", head(connection));
				out.write(JSON.writeValueAsString(Map.of("archive", summary)));
				out.write('\n');
			}
			finally {
				connection.rollback();
				connection.setReadOnly(false);
				connection.setAutoCommit(true);
			}
		}
		catch (SQLException | IOException | RuntimeException ex) {
			Files.deleteIfExists(partial);
			throw ex;
		}
		PrivateFiles.sync(partial);
		Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		// The file's name is on disk before its month leaves the database.
		PrivateFiles.sync(folder);
		String sha256 = sha256(file);
		detach(month, events, first, last, name, sha256);
		return new Archived(month.month(), events, file, sha256);
	}

	private static Map<String, Object> line(ResultSet rs, AuditRow row, long position, String hash)
			throws SQLException {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("id", row.id().toString());
		record.put("recorded", Instant.ofEpochMilli(row.recorded()).toString());
		record.put("seq", rs.getLong("seq"));
		record.put("txid", rs.getString("txid"));
		record.put("hospital", row.hospital());
		record.put("type", row.type());
		record.put("subtypes", row.subtypes());
		record.put("action", String.valueOf(row.action()));
		record.put("outcome", row.outcome());
		record.put("patient", row.patient());
		record.put("agents", row.agents());
		record.put("entities", row.entities());
		record.put("source", row.source());
		record.put("requestId", row.requestId());
		record.put("resource", row.resource());
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("position", position);
		line.put("previousHash", HEX.formatHex(rs.getBytes("previous_hash")));
		line.put("eventDigest", HEX.formatHex(rs.getBytes("event_digest")));
		line.put("hash", hash);
		line.put("algorithm", rs.getString("algorithm"));
		line.put("record", record);
		return line;
	}

	private static Map<String, Object> head(Connection connection) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement(
				"SELECT position, encode(hash, 'hex') FROM crosswalk.audit_seal ORDER BY position DESC LIMIT 1");
				ResultSet rs = query.executeQuery()) {
			Map<String, Object> head = new LinkedHashMap<>();
			if (rs.next()) {
				head.put("position", rs.getLong(1));
				head.put("hash", rs.getString(2));
			}
			return head;
		}
	}

	/** Records the file, then detaches and drops the partition, in one transaction. */
	private void detach(Month month, long events, Long first, Long last, String file, String sha256)
			throws SQLException {
		try (Connection connection = this.owner.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				// Short waits: DETACH needs an exclusive lock on the whole trail, and
				// queued behind a long reader it would hold up every audit write.
				statement.execute("SET LOCAL lock_timeout = '2s'");
				// Writes to the month stop, readers go on. The trail is locked last, in
				// the order the sealer and $verify lock: the parent, then partitions.
				statement.execute("LOCK TABLE crosswalk." + month.partition() + " IN SHARE MODE");
				// Nothing may have joined the month since it was read.
				long now = count(connection, "SELECT count(*) FROM crosswalk." + month.partition());
				if (now != events) {
					throw new ArchiveException(month.month() + " holds " + now + " records now, " + events
							+ " when it was written to " + file + ": run the command again");
				}
				try (PreparedStatement insert = connection.prepareStatement("INSERT INTO crosswalk.audit_archive "
						+ "(month, partition_name, recorded_from, recorded_to, events, first_position, last_position, "
						+ "file_name, file_sha256, seals_sha256, algorithm, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
					insert.setObject(1, LocalDate.of(month.month().getYear(), month.month().getMonth(), 1));
					insert.setString(2, month.partition());
					insert.setTimestamp(3, Timestamp.from(month.from()));
					insert.setTimestamp(4, Timestamp.from(month.to()));
					insert.setLong(5, events);
					insert.setObject(6, first);
					insert.setObject(7, last);
					insert.setString(8, file);
					insert.setString(9, sha256);
					String seals = sealsDigest(connection, month.from(), month.to());
					insert.setString(10, seals);
					String algorithm = this.chain.hash().algorithm();
					insert.setString(11, algorithm);
					insert.setString(12,
							HEX.formatHex(this.chain.hash()
								.mac(algorithm, message(month.month().toString(), month.partition(), month.from(),
										month.to(), events, first, last, file, sha256, seals))));
					insert.executeUpdate();
				}
				statement.execute("LOCK TABLE ONLY crosswalk.audit_event IN ACCESS EXCLUSIVE MODE");
				statement.execute("ALTER TABLE crosswalk.audit_event DETACH PARTITION crosswalk." + month.partition());
				statement.execute("DROP TABLE crosswalk." + month.partition());
				connection.commit();
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
	}

	/**
	 * What an archive row's MAC covers: every column a verification relies on.
	 */
	static byte[] message(String month, String partition, Instant from, Instant to, long events, Long first, Long last,
			String file, String sha256, String seals) {
		return String
			.join("|", "crosswalk-audit-archive/1", month, partition, from.toString(), to.toString(),
					Long.toString(events), String.valueOf(first), String.valueOf(last), file, sha256, seals)
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * SHA-256 over the position and hash of every seal of records recorded in a span, in
	 * chain order: the set of links an archive accounts for, so that no seal can be moved
	 * into or out of an archived month unnoticed.
	 */
	static String sealsDigest(Connection connection, Instant from, Instant to) throws SQLException {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			try (PreparedStatement statement = connection.prepareStatement("SELECT position, encode(hash, 'hex') "
					+ "FROM crosswalk.audit_seal WHERE event_recorded >= ? AND event_recorded < ? ORDER BY position")) {
				statement.setTimestamp(1, Timestamp.from(from));
				statement.setTimestamp(2, Timestamp.from(to));
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						sha.update((rs.getLong(1) + ":" + rs.getString(2) + "\n").getBytes(StandardCharsets.UTF_8));
					}
				}
			}
			return HEX.formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The seals of records recorded in a month's span. */
	private static long countBetween(Connection connection, Month month) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(
				"SELECT count(*) FROM crosswalk.audit_seal WHERE event_recorded >= ? AND event_recorded < ?")) {
			statement.setTimestamp(1, Timestamp.from(month.from()));
			statement.setTimestamp(2, Timestamp.from(month.to()));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private static long count(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

	static String sha256(Path file) throws IOException {
		try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
				MessageDigest.getInstance("SHA-256"))) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
			return HEX.formatHex(in.getMessageDigest().digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Month(YearMonth month, String partition, Instant from, Instant to) {
	}

	/**
	 * A month archived.
	 *
	 * @param month the month
	 * @param events its records
	 * @param file where they went
	 * @param sha256 the file's SHA-256
	 */
	record Archived(YearMonth month, long events, Path file, String sha256) {
	}

	/**
	 * A month that could not be archived, and why.
	 */
	static final class ArchiveException extends RuntimeException {

		ArchiveException(String message) {
			super(message);
		}

	}

}
