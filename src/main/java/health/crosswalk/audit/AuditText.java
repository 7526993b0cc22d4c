package health.crosswalk.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictContentType;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.util.Native;

/**
 * How an AuditEvent's JSON is stored: compressed with a preset dictionary from
 * {@code crosswalk.audit_dictionary}, whose text is what BALP records have in common. A
 * record of about 2.2 KB is stored in under 300 bytes, where PostgreSQL would store it as
 * it is (it compresses only rows over about 2 KB, and then without a dictionary).
 * <p>
 * New records are zstd frames (RFC 8878) with the dictionary as raw content and the
 * frame's checksum of the text: zstd takes the dictionary prepared once, where zlib
 * indexes it again for every record, and writes a record in half to two thirds of zlib's
 * time. Records written before are zlib streams (RFC 1950) with the same dictionaries;
 * both are read, told apart by their first bytes (zstd's magic number; a zlib stream
 * starts with {@code 0x78}). Records written before the dictionary existed keep their
 * text in {@code resource}.
 * <p>
 * The dictionaries are read from the database on first use, on the connection at hand (so
 * a write never waits for a second one), and kept: Flyway adds them, and the table
 * refuses changes. A record naming one not read yet makes them read again. A record read
 * with another dictionary than its own fails its checksum (the zstd frame's, or the zlib
 * stream's check of the dictionary), so it is never read as something else.
 */
final class AuditText {

	/** The three columns a record's JSON is read from. */
	static final String COLUMNS = "resource, resource_deflated, resource_dictionary";

	/**
	 * zstd's level for new records: in the probe reported in performance.md, 5 stored the
	 * records in 274 bytes on average (before the checksum's 4), 6 in 266 at a quarter
	 * more time.
	 */
	private static final int LEVEL = 5;

	/** Longest text read back or written: a stored size beyond it is refused. */
	static final int MAX_TEXT_BYTES = 64 * 1024 * 1024;

	/** How many native contexts of each kind are kept between uses. */
	private static final int KEPT_CONTEXTS = 8;

	private static final Kept<ZstdCompressCtx> COMPRESSORS = new Kept<>(ZstdCompressCtx::new, ZstdCompressCtx::close);

	private static final Kept<ZstdDecompressCtx> DECOMPRESSORS = new Kept<>(ZstdDecompressCtx::new,
			ZstdDecompressCtx::close);

	private volatile Dictionaries dictionaries;

	/**
	 * Loads zstd's native library now, so that a server that cannot load it fails at
	 * start rather than at its first record.
	 */
	AuditText() {
		try {
			Native.load();
		}
		catch (UnsatisfiedLinkError ex) {
			throw new IllegalStateException("zstd's native library (zstd-jni) could not be loaded: it is extracted "
					+ "to java.io.tmpdir, which must be writable and allow execution: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Compresses a record's JSON with the newest dictionary.
	 * @param connection the connection the record is written on
	 * @param json the AuditEvent
	 * @return what goes into {@code resource_deflated}
	 * @throws SQLException if the dictionaries cannot be read
	 */
	Compressed compress(Connection connection, String json) throws SQLException {
		Dictionaries known = dictionaries(connection);
		return new Compressed(compress(json.getBytes(StandardCharsets.UTF_8), known.newest()), known.newestId());
	}

	/**
	 * A record's JSON from a row holding the three {@link #COLUMNS}.
	 * @param rs the row
	 * @return the AuditEvent
	 * @throws SQLException if the database fails
	 * @throws UnreadableRecordException if the stored bytes do not expand
	 */
	String read(ResultSet rs) throws SQLException {
		String plain = rs.getString("resource");
		if (plain != null) {
			return plain;
		}
		byte[] stored = rs.getBytes("resource_deflated");
		int id = rs.getInt("resource_dictionary");
		Connection connection = rs.getStatement().getConnection();
		Dictionary dictionary = dictionaries(connection).byId().get(id);
		if (dictionary == null) {
			// A newer server's migration added it since (a rolling upgrade): read
			// them again, and write with the newest from now on.
			this.dictionaries = load(connection);
			dictionary = this.dictionaries.byId().get(id);
		}
		if (stored == null || dictionary == null) {
			throw new UnreadableRecordException("no stored text, or no dictionary " + id);
		}
		return expand(stored, dictionary);
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
		TreeMap<Integer, Dictionary> byId = new TreeMap<>();
		try (PreparedStatement query = connection
			.prepareStatement("SELECT id, dictionary FROM crosswalk.audit_dictionary ORDER BY id");
				ResultSet rs = query.executeQuery()) {
			while (rs.next()) {
				byId.put(rs.getInt(1), new Dictionary(rs.getBytes(2)));
			}
		}
		if (byId.isEmpty()) {
			throw new IllegalStateException(
					"crosswalk.audit_dictionary is empty: the audit trail's migrations " + "did not run");
		}
		return new Dictionaries(Map.copyOf(byId), byId.lastKey());
	}

	/**
	 * A text as a zstd frame with the dictionary and a checksum of the text.
	 * @param input the text
	 * @param dictionary the dictionary
	 * @return the frame
	 */
	static byte[] compress(byte[] input, Dictionary dictionary) {
		if (input.length > MAX_TEXT_BYTES) {
			throw new IllegalArgumentException("An audit record of " + input.length + " bytes is over the "
					+ MAX_TEXT_BYTES + " that are read back");
		}
		ZstdCompressCtx context = COMPRESSORS.take();
		try {
			context.reset();
			context.loadDict(dictionary.forWriting);
			context.setLevel(LEVEL);
			context.setChecksum(true);
			return context.compress(input);
		}
		finally {
			COMPRESSORS.give(context);
		}
	}

	/**
	 * The text of a stored record, a zstd frame or a zlib stream.
	 * @param stored the stored bytes
	 * @param dictionary the dictionary the record names
	 * @return the text
	 * @throws UnreadableRecordException if the bytes are not what was written with it
	 */
	static String expand(byte[] stored, Dictionary dictionary) {
		return isZstd(stored) ? unzstd(stored, dictionary) : inflate(stored, dictionary.text);
	}

	private static boolean isZstd(byte[] stored) {
		return stored.length >= 4 && (stored[0] & 0xFF) == 0x28 && (stored[1] & 0xFF) == 0xB5
				&& (stored[2] & 0xFF) == 0x2F && (stored[3] & 0xFF) == 0xFD;
	}

	private static String unzstd(byte[] stored, Dictionary dictionary) {
		long size = Zstd.getFrameContentSize(stored);
		if (size < 0 || size > MAX_TEXT_BYTES) {
			throw new UnreadableRecordException("the stored text's size is unknown or over " + MAX_TEXT_BYTES);
		}
		ZstdDecompressCtx context = DECOMPRESSORS.take();
		try {
			context.reset();
			context.loadDict(dictionary.forReading);
			// zstd refuses a frame whose text differs in length from its header's size.
			return new String(context.decompress(stored, (int) size), StandardCharsets.UTF_8);
		}
		catch (ZstdException ex) {
			throw new UnreadableRecordException(ex.getMessage());
		}
		finally {
			DECOMPRESSORS.give(context);
		}
	}

	private static String inflate(byte[] deflated, byte[] dictionary) {
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
				if (out.size() > MAX_TEXT_BYTES) {
					throw new UnreadableRecordException("the stored text expands beyond " + MAX_TEXT_BYTES);
				}
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
	 * @param bytes the zstd frame
	 * @param dictionary the id of the dictionary it was made with
	 */
	record Compressed(byte[] bytes, int dictionary) {
	}

	/** A dictionary's text, prepared once for writing and for reading zstd frames. */
	static final class Dictionary {

		private final byte[] text;

		private final ZstdDictCompress forWriting;

		private final ZstdDictDecompress forReading;

		Dictionary(byte[] text) {
			this.text = text;
			this.forWriting = new ZstdDictCompress(text, LEVEL, ZstdDictContentType.RAW_CONTENT);
			this.forReading = new ZstdDictDecompress(text, ZstdDictContentType.RAW_CONTENT);
		}

	}

	private record Dictionaries(Map<Integer, Dictionary> byId, int newestId) {

		Dictionary newest() {
			return this.byId.get(this.newestId);
		}

	}

	/**
	 * Native contexts kept for the next use, at most {@link #KEPT_CONTEXTS}: making one
	 * costs more than compressing a record, and one for every request thread would hold
	 * native memory for threads that rarely write.
	 */
	private static final class Kept<T> {

		private final Queue<T> idle = new ConcurrentLinkedQueue<>();

		private final AtomicInteger idleCount = new AtomicInteger();

		private final Supplier<T> maker;

		private final Consumer<T> closer;

		Kept(Supplier<T> maker, Consumer<T> closer) {
			this.maker = maker;
			this.closer = closer;
		}

		T take() {
			T context = this.idle.poll();
			if (context == null) {
				return this.maker.get();
			}
			this.idleCount.decrementAndGet();
			return context;
		}

		void give(T context) {
			if (this.idleCount.incrementAndGet() <= KEPT_CONTEXTS) {
				this.idle.offer(context);
			}
			else {
				this.idleCount.decrementAndGet();
				this.closer.accept(context);
			}
		}

	}

	/** A record whose stored bytes do not give back its JSON: it was changed. */
	static final class UnreadableRecordException extends IllegalStateException {

		UnreadableRecordException(String reason) {
			super("An audit record's stored text cannot be read: " + reason);
		}

	}

}
