package health.crosswalk.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * The hash chain over the audit trail ({@code crosswalk.audit_seal}): seals committed
 * records and verifies the chain.
 *
 * <p>
 * Each pass seals every committed record it can see that is not sealed yet, in
 * {@code (txid, seq)} order, one sealer at a time (advisory lock) however many servers
 * share the database. It does not wait for transactions still open: a record of a long
 * transaction is sealed once that transaction commits, after records that committed
 * before it, so sealing lags commits by the seal interval only. Each seal row keeps a
 * horizon, the transaction id below which every record was sealed when it was written;
 * the next pass looks only at records at or above it.
 */
final class AuditChain {

	/** Advisory lock held by the one sealer at work. */
	static final long SEAL_LOCK = 0x43574155444954L;

	private static final int SEAL_BATCH = 5000;

	private static final HexFormat HEX = HexFormat.of();

	/** The horizon of a seal row; rows sealed before V13 vouch for what precedes them. */
	private static final String HORIZON = "coalesce(horizon, event_txid)";

	/** Condition on an {@code audit_event e}: not sealed yet. */
	private static final String UNSEALED = "NOT EXISTS (SELECT 1 FROM crosswalk.audit_seal s WHERE s.event_id = e.id)";

	private final DataSource dataSource;

	private final ChainHash hash;

	private final AuditText text;

	AuditChain(DataSource dataSource, ChainHash hash, AuditText text) {
		this.dataSource = dataSource;
		this.hash = hash;
		this.text = text;
	}

	ChainHash hash() {
		return this.hash;
	}

	AuditText text() {
		return this.text;
	}

	/**
	 * Seals every record that can be sealed now; when another sealer is at work, leaves
	 * the work to it. This is the background sealer's pass.
	 * @return how many were sealed
	 * @throws SQLException if the database fails
	 */
	int sealAll() throws SQLException {
		return sealAll(false);
	}

	/**
	 * Seals every record committed before the call, waiting for a sealer at work (this
	 * server's or another's) to commit first, so that a verdict read afterwards counts
	 * none of them as unsealed. The wait is bounded by the statement timeout.
	 * @return how many this call sealed
	 * @throws SQLException if the database fails
	 */
	int sealCommitted() throws SQLException {
		return sealAll(true);
	}

	private int sealAll(boolean wait) throws SQLException {
		int total = 0;
		int sealed;
		do {
			sealed = sealBatch(wait);
			total += sealed;
		}
		while (sealed == SEAL_BATCH);
		return total;
	}

	private int sealBatch(boolean wait) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				int sealed = sealBatch(connection, wait);
				connection.commit();
				return sealed;
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

	private int sealBatch(Connection connection, boolean wait) throws SQLException {
		this.text.prepare(connection);
		try (PreparedStatement lock = connection.prepareStatement(wait
				? "SELECT true FROM (SELECT pg_advisory_xact_lock(?)) taken" : "SELECT pg_try_advisory_xact_lock(?)")) {
			lock.setLong(1, SEAL_LOCK);
			try (ResultSet rs = lock.executeQuery()) {
				if (!rs.next() || !rs.getBoolean(1)) {
					return 0;
				}
			}
		}
		long position = 0;
		byte[] previous = ChainHash.GENESIS;
		String horizon = "0";
		try (PreparedStatement head = connection.prepareStatement("SELECT position, hash, " + HORIZON
				+ "::text FROM crosswalk.audit_seal ORDER BY position DESC LIMIT 1");
				ResultSet rs = head.executeQuery()) {
			if (rs.next()) {
				position = rs.getLong(1);
				previous = rs.getBytes(2);
				horizon = rs.getString(3);
			}
		}
		List<Object[]> seals = new ArrayList<>();
		String xmin = null;
		String lastTxid = null;
		// Ordered by the xid8 column itself: ORDER BY a bare "txid" would sort by
		// the text cast of the select list, putting 10000 before 9999. The
		// snapshot's xmin comes from the same statement, so it describes exactly
		// what the statement saw.
		try (PreparedStatement pending = connection.prepareStatement("SELECT e.seq, e.txid::text AS txid_text, "
				+ "pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin, " + AuditStore.COLUMNS
				+ " FROM crosswalk.audit_event e WHERE e.txid >= ?::xid8 AND " + UNSEALED
				+ " ORDER BY e.txid, e.seq LIMIT ?")) {
			pending.setString(1, horizon);
			pending.setInt(2, SEAL_BATCH);
			try (ResultSet rs = pending.executeQuery()) {
				String algorithm = this.hash.algorithm();
				while (rs.next()) {
					AuditRow row = AuditStore.row(rs, this.text);
					byte[] digest = ChainHash.digest(row);
					position++;
					byte[] link = this.hash.link(algorithm, previous, position, digest);
					xmin = rs.getString("snapshot_xmin");
					lastTxid = rs.getString("txid_text");
					seals.add(new Object[] { position, row.id(), new Timestamp(row.recorded()), lastTxid,
							rs.getLong("seq"), digest, previous, link, algorithm, null });
					previous = link;
				}
			}
		}
		// Every record below the snapshot's xmin was visible and, unless the batch was
		// cut short, selected; a cut batch vouches only
		// for transactions before its last one.
		String next = (seals.size() < SEAL_BATCH) ? xmin : minXid(xmin, lastTxid);
		for (Object[] seal : seals) {
			seal[9] = next;
		}
		if (seals.isEmpty()) {
			return 0;
		}
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO crosswalk.audit_seal (position, "
				+ "event_id, event_recorded, event_txid, event_seq, event_digest, previous_hash, hash, algorithm, "
				+ "horizon) VALUES (?, ?, ?, ?::xid8, ?, ?, ?, ?, ?, ?::xid8)")) {
			for (Object[] seal : seals) {
				for (int i = 0; i < seal.length; i++) {
					insert.setObject(i + 1, seal[i]);
				}
				insert.addBatch();
			}
			insert.executeBatch();
		}
		return seals.size();
	}

	/**
	 * The newest link, to be kept outside the database and compared later.
	 * @return the head, or null while nothing is sealed
	 * @throws SQLException if the database fails
	 */
	Head head() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			return head(connection);
		}
	}

	private static Head head(Connection connection) throws SQLException {
		try (PreparedStatement head = connection.prepareStatement("SELECT position, hash, algorithm, "
				+ "event_recorded, sealed_at FROM crosswalk.audit_seal ORDER BY position DESC LIMIT 1");
				ResultSet rs = head.executeQuery()) {
			if (!rs.next()) {
				return null;
			}
			return new Head(rs.getLong(1), HEX.formatHex(rs.getBytes(2)), rs.getString(3),
					rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant());
		}
	}

	/**
	 * Verifies the chain over the records recorded in a period, and optionally a head
	 * kept elsewhere.
	 * @param from start of the period, or null for the first record
	 * @param to end of the period, or null for the last sealed record
	 * @param anchor a head exported earlier, or null
	 * @return the verdict
	 * @throws SQLException if the database fails
	 */
	Verdict verify(Instant from, Instant to, Anchor anchor) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				// One snapshot for the head, the count of unsealed records and the links.
				// Set inside the transaction, not on the session (as pgjdbc's
				// setTransactionIsolation does): behind a transaction pooler a session
				// setting would stay on a server connection another client gets next.
				try (Statement statement = connection.createStatement()) {
					statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
					// Taken before the snapshot's first read: an archive run's detach
					// either committed before it (its row is seen) or waits for it.
					statement.execute("LOCK TABLE crosswalk.audit_event, crosswalk.audit_seal, "
							+ "crosswalk.audit_archive IN ACCESS SHARE MODE");
				}
				return verify(connection, from, to, anchor);
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		}
	}

	private Verdict verify(Connection connection, Instant from, Instant to, Anchor anchor) throws SQLException {
		Head head = head(connection);
		long unsealed = unsealed(connection, from, to);
		if (anchor != null) {
			Broken broken = checkAnchor(connection, anchor);
			if (broken != null) {
				return new Verdict(0, null, null, broken, unsealed, head, 0);
			}
		}
		long first = bound(connection, "min", ">=", from);
		long last = bound(connection, "max", "<=", to);
		if (first == 0 || last == 0 || first > last) {
			return new Verdict(0, null, null, null, unsealed, head, 0);
		}
		byte[] previous = null;
		if (first == 1) {
			previous = ChainHash.GENESIS;
		}
		long checked = 0;
		long archived = 0;
		List<Archive> archives = archives(connection);
		this.text.prepare(connection);
		try (PreparedStatement links = connection.prepareStatement("SELECT s.position, s.event_id, s.event_digest, "
				+ "s.previous_hash, s.hash, s.algorithm, s.event_recorded AS sealed_recorded, e.seq, e.txid, "
				+ prefixed("e.", AuditStore.COLUMNS)
				+ " FROM crosswalk.audit_seal s LEFT JOIN crosswalk.audit_event e ON e.id = s.event_id "
				+ "AND e.recorded = s.event_recorded WHERE s.position BETWEEN ? AND ? ORDER BY s.position")) {
			links.setFetchSize(1000);
			links.setLong(1, first);
			links.setLong(2, last);
			try (ResultSet rs = links.executeQuery()) {
				while (rs.next()) {
					long position = rs.getLong("position");
					UUID eventId = rs.getObject("event_id", UUID.class);
					String algorithm = rs.getString("algorithm");
					if (!this.hash.canVerify(algorithm)) {
						throw new KeyRequiredException(position);
					}
					byte[] storedPrevious = rs.getBytes("previous_hash");
					if (previous != null && !Arrays.equals(previous, storedPrevious)) {
						return broken(checked, first, position, eventId, "the link to the previous record was altered",
								unsealed, head);
					}
					byte[] digest;
					Archive archive;
					if (rs.getObject("id") != null) {
						digest = digestOrNull(rs);
						if (digest == null || !Arrays.equals(digest, rs.getBytes("event_digest"))) {
							return broken(checked, first, position, eventId, "the record was altered", unsealed, head);
						}
					}
					else if ((archive = archivedAt(connection, archives, rs.getTimestamp("sealed_recorded").toInstant(),
							position)) != null) {
						// Moved to an archive file, which was checked against these
						// digests when it was written: the link still holds.
						archive.seen++;
						digest = rs.getBytes("event_digest");
						archived++;
					}
					else {
						return broken(checked, first, position, eventId, "the record was deleted", unsealed, head);
					}
					byte[] link = this.hash.link(algorithm, storedPrevious, position, digest);
					if (!Arrays.equals(link, rs.getBytes("hash"))) {
						return broken(checked, first, position, eventId, "the seal was altered", unsealed, head);
					}
					previous = link;
					checked++;
				}
			}
		}
		for (Archive archive : archives) {
			// Every record of an archived month, and none more, is missing: a record
			// deleted by hand and passed off as archived shows here.
			if (archive.valid && archive.first != null && first <= archive.first && last >= archive.last
					&& archive.seen > archive.events) {
				return new Verdict(checked, first, archive.last,
						new Broken(archive.last, null,
								"the archive of " + archive.month + " holds " + archive.events + " records, but "
										+ archive.seen + " of its records are missing: a record was deleted"),
						unsealed, head, 0);
			}
		}
		return new Verdict(checked, first, last, null, unsealed, head, archived);
	}

	private static Verdict broken(long checked, long first, long position, UUID eventId, String reason, long unsealed,
			Head head) {
		return new Verdict(checked, first, position, new Broken(position, eventId, reason), unsealed, head, 0);
	}

	private Broken checkAnchor(Connection connection, Anchor anchor) throws SQLException {
		try (PreparedStatement seal = connection
			.prepareStatement("SELECT event_id, hash FROM crosswalk.audit_seal WHERE position = ?")) {
			seal.setLong(1, anchor.position());
			try (ResultSet rs = seal.executeQuery()) {
				if (!rs.next()) {
					return new Broken(anchor.position(), null,
							"the exported head's position is no longer in the chain");
				}
				if (!HEX.formatHex(rs.getBytes(2)).equalsIgnoreCase(anchor.hash())) {
					return new Broken(anchor.position(), rs.getObject(1, UUID.class),
							"the chain differs from the exported head");
				}
			}
		}
		return null;
	}

	private static long bound(Connection connection, String aggregate, String comparison, Instant limit)
			throws SQLException {
		String sql = "SELECT coalesce(" + aggregate + "(position), 0) FROM crosswalk.audit_seal"
				+ ((limit != null) ? " WHERE event_recorded " + comparison + " ?" : "");
		try (PreparedStatement bound = connection.prepareStatement(sql)) {
			if (limit != null) {
				bound.setTimestamp(1, Timestamp.from(limit));
			}
			try (ResultSet rs = bound.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private static long unsealed(Connection connection, Instant from, Instant to) throws SQLException {
		// Every record of the period, not only those above the horizon: a record the
		// sealer could never reach (a txid written by hand below the horizon) counts too.
		String sql = "SELECT count(*) FROM crosswalk.audit_event e WHERE " + UNSEALED
				+ ((from != null) ? " AND e.recorded >= ?" : "") + ((to != null) ? " AND e.recorded <= ?" : "");
		try (PreparedStatement count = connection.prepareStatement(sql)) {
			int index = 1;
			if (from != null) {
				count.setTimestamp(index++, Timestamp.from(from));
			}
			if (to != null) {
				count.setTimestamp(index, Timestamp.from(to));
			}
			try (ResultSet rs = count.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	/**
	 * The archived months, each checked against its MAC: a row added or changed by hand
	 * (or one made with a key this server lacks) accounts for no missing record.
	 */
	private List<Archive> archives(Connection connection) throws SQLException {
		List<Archive> archives = new ArrayList<>();
		try (PreparedStatement query = connection.prepareStatement("SELECT month, partition_name, recorded_from, "
				+ "recorded_to, events, first_position, last_position, file_name, file_sha256, seals_sha256, "
				+ "algorithm, mac FROM crosswalk.audit_archive"); ResultSet rs = query.executeQuery()) {
			while (rs.next()) {
				Archive archive = new Archive(rs.getObject(1, java.time.LocalDate.class).toString().substring(0, 7),
						rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(), rs.getLong(5),
						(Long) rs.getObject(6), (Long) rs.getObject(7));
				String algorithm = rs.getString(11);
				if (!this.hash.canVerify(algorithm)) {
					throw new KeyRequiredException((archive.first != null) ? archive.first : 0);
				}
				String seals = rs.getString(10);
				byte[] mac = this.hash.mac(algorithm,
						AuditArchive.message(archive.month, rs.getString(2), archive.from, archive.to, archive.events,
								archive.first, archive.last, rs.getString(8), rs.getString(9), seals));
				// With a key, only keyed rows count: anybody can make a plain one.
				archive.valid = (ChainHash.HMAC_SHA256.equals(algorithm) || this.hash.algorithm().equals(algorithm))
						&& java.security.MessageDigest.isEqual(mac, HEX.parseHex(rs.getString(12)));
				archive.seals = seals;
				archives.add(archive);
			}
		}
		return archives;
	}

	/**
	 * The valid archive a missing record belongs to, by its recorded time and position.
	 * Its seals' digest is checked the first time a record needs it, so a verification
	 * reads the seals of the archived months its period touches, not of every one.
	 */
	private static Archive archivedAt(Connection connection, List<Archive> archives, Instant recorded, long position)
			throws SQLException {
		for (Archive archive : archives) {
			if (archive.valid && !recorded.isBefore(archive.from) && recorded.isBefore(archive.to)
					&& archive.first != null && position >= archive.first && position <= archive.last) {
				if (archive.sealsHold == null) {
					archive.sealsHold = archive.seals
						.equals(AuditArchive.sealsDigest(connection, archive.from, archive.to));
				}
				return archive.sealsHold ? archive : null;
			}
		}
		return null;
	}

	/** An archived month, as its row states it. */
	private static final class Archive {

		final String month;

		final Instant from;

		final Instant to;

		final long events;

		final Long first;

		final Long last;

		boolean valid;

		String seals;

		Boolean sealsHold;

		long seen;

		Archive(String month, Instant from, Instant to, long events, Long first, Long last) {
			this.month = month;
			this.from = from;
			this.to = to;
			this.events = events;
			this.first = first;
			this.last = last;
		}

	}

	static String minXid(String a, String b) {
		return (Long.parseUnsignedLong(a) <= Long.parseUnsignedLong(b)) ? a : b;
	}

	private static String prefixed(String prefix, String columns) {
		return prefix + columns.replace(", ", ", " + prefix);
	}

	/**
	 * The newest link of the chain.
	 *
	 * @param position its position
	 * @param hash its hash, hex
	 * @param algorithm how it was made
	 * @param eventRecorded when its record was recorded
	 * @param sealedAt when it was sealed
	 */
	record Head(long position, String hash, String algorithm, Instant eventRecorded, Instant sealedAt) {
	}

	/**
	 * A head exported earlier.
	 *
	 * @param position its position
	 * @param hash its hash, hex
	 */
	record Anchor(long position, String hash) {
	}

	/**
	 * The first break found.
	 *
	 * @param position the link's position
	 * @param eventId the record's id, when known
	 * @param reason what is wrong
	 */
	record Broken(long position, UUID eventId, String reason) {
	}

	/**
	 * The result of a verification.
	 *
	 * @param checked links checked and found intact
	 * @param firstPosition first position checked, or null when none
	 * @param lastPosition last position checked, or null when none
	 * @param broken the first break, or null when intact
	 * @param unsealed records of the period committed but not sealed yet, so not checked
	 * @param head the chain's head, or null while nothing is sealed
	 * @param archived links among those checked whose records were archived: their links
	 * were checked from the digests sealed with them
	 */
	record Verdict(long checked, Long firstPosition, Long lastPosition, Broken broken, long unsealed, Head head,
			long archived) {

		/**
		 * The verdict's one word: {@code broken} when a break was found, {@code intact}
		 * only when every record of the period was sealed and checked, else
		 * {@code incomplete} (what was checked is intact; {@code unsealed} records were
		 * not checked).
		 * @return the word
		 */
		String result() {
			if (this.broken != null) {
				return "broken";
			}
			return (this.unsealed == 0) ? "intact" : "incomplete";
		}

		boolean intact() {
			return this.broken == null;
		}

	}

	/**
	 * Keyed links met without the key.
	 */
	static final class KeyRequiredException extends RuntimeException {

		KeyRequiredException(long position) {
			super("The record at chain position " + position
					+ " was sealed with HMAC-SHA-256; this server has no crosswalk.audit.hmac-key.");
		}

	}

	/**
	 * The digest of the record in this row, or null if its stored text cannot be read.
	 */
	private byte[] digestOrNull(ResultSet rs) throws SQLException {
		try {
			return ChainHash.digest(AuditStore.row(rs, this.text));
		}
		catch (AuditText.UnreadableRecordException ex) {
			return null;
		}
	}

}
