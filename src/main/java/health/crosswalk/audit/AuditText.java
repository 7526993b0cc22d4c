package health.crosswalk.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How an AuditEvent's JSON is stored: deflated (zlib format) with a preset dictionary
 * from {@code crosswalk.audit_dictionary}, whose text is what BALP records have in
 * common. A record of about 2.2 KB is stored in about 230 bytes, where PostgreSQL would
 * store it as it is (it compresses only rows over about 2 KB, and then without a
 * dictionary). Records written before the dictionary existed keep their text in
 * {@code resource}.
 * <p>
 * The dictionaries are read from the database on first use, on the connection at hand (so
 * a write never waits for a second one), and kept: Flyway adds them, and the table
 * refuses changes. A record naming one not read yet makes them read again. The zlib
 * stream names its dictionary by checksum, so a record is never inflated with the wrong
 * one.
 */
final class AuditText {

	/** The three columns a record's JSON is read from. */
	static final String COLUMNS = "resource, resource_deflated, resource_dictionary";

	private volatile Dictionaries dictionaries;

	/**
	 * Deflates a record's JSON with the newest dictionary.
	 * @param connection the connection the record is written on
	 * @param json the AuditEvent
	 * @return what goes into {@code resource_deflated}
	 * @throws SQLException if the dictionaries cannot be read
	 */
	Deflated deflate(Connection connection, String json) throws SQLException {
		Dictionaries known = dictionaries(connection);
		return new Deflated(deflate(json.getBytes(StandardCharsets.UTF_8), known.newest()), known.newestId());
	}

	/**
	 * A record's JSON from a row holding the three {@link #COLUMNS}.
	 * @param rs the row
	 * @return the AuditEvent
	 * @throws SQLException if the database fails
	 * @throws UnreadableRecordException if the stored bytes do not inflate
	 */
	String read(ResultSet rs) throws SQLException {
		String plain = rs.getString("resource");
		if (plain != null) {
			return plain;
		}
		byte[] deflated = rs.getBytes("resource_deflated");
		int id = rs.getInt("resource_dictionary");
		Connection connection = rs.getStatement().getConnection();
		byte[] dictionary = dictionaries(connection).byId().get(id);
		if (dictionary == null) {
			// A newer server's migration added it since (a rolling upgrade): read
			// them again, and write with the newest from now on.
			this.dictionaries = load(connection);
			dictionary = this.dictionaries.byId().get(id);
		}
		if (deflated == null || dictionary == null) {
			throw new UnreadableRecordException("no stored text, or no dictionary " + id);
		}
		return inflate(deflated, dictionary);
	}

	/**
	 * Reads the dictionaries now, if not read yet: before a cursor over records is opened
	 * on the connection, so that reading them needs no statement in between.
	 * @param connection a connection
	 * @throws SQLException if the database fails
	 */
	void prepare(Connection connection) throws SQLException {
		dictionaries(connection);
	}

	private Dictionaries dictionaries(Connection connection) throws SQLException {
		Dictionaries known = this.dictionaries;
		if (known == null) {
			known = load(connection);
			this.dictionaries = known;
		}
		return known;
	}

	private static Dictionaries load(Connection connection) throws SQLException {
		TreeMap<Integer, byte[]> byId = new TreeMap<>();
		try (PreparedStatement query = connection
			.prepareStatement("SELECT id, dictionary FROM crosswalk.audit_dictionary ORDER BY id");
				ResultSet rs = query.executeQuery()) {
			while (rs.next()) {
				byId.put(rs.getInt(1), rs.getBytes(2));
			}
		}
		if (byId.isEmpty()) {
			throw new IllegalStateException(
					"crosswalk.audit_dictionary is empty: the audit trail's migrations " + "did not run");
		}
		return new Dictionaries(Map.copyOf(byId), byId.lastKey());
	}

	static byte[] deflate(byte[] input, byte[] dictionary) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
		try {
			deflater.setDictionary(dictionary);
			deflater.setInput(input);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 4 + 64);
			byte[] buffer = new byte[4096];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	static String inflate(byte[] deflated, byte[] dictionary) {
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(deflated);
			ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 12);
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && inflater.needsDictionary()) {
					// Refused by zlib unless the stream names this dictionary.
					inflater.setDictionary(dictionary);
				}
				else if (n == 0 && !inflater.finished()) {
					throw new UnreadableRecordException("the stored text ends early");
				}
				out.write(buffer, 0, n);
			}
			if (inflater.getRemaining() > 0) {
				throw new UnreadableRecordException("bytes follow the stored text");
			}
			return out.toString(StandardCharsets.UTF_8);
		}
		catch (DataFormatException | IllegalArgumentException ex) {
			throw new UnreadableRecordException(ex.getMessage());
		}
		finally {
			inflater.end();
		}
	}

	/**
	 * A record's JSON as stored.
	 *
	 * @param bytes the zlib stream
	 * @param dictionary the id of the dictionary it was made with
	 */
	record Deflated(byte[] bytes, int dictionary) {
	}

	private record Dictionaries(Map<Integer, byte[]> byId, int newestId) {

		byte[] newest() {
			return this.byId.get(this.newestId);
		}

	}

	/** A record whose stored bytes do not give back its JSON: it was changed. */
	static final class UnreadableRecordException extends IllegalStateException {

		UnreadableRecordException(String reason) {
			super("An audit record's stored text cannot be read: " + reason);
		}

	}

}
