package health.crosswalk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictContentType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads an audit record's JSON as any tool without the server would, from its columns and
 * {@code crosswalk.audit_dictionary} alone (V22): the text itself, or its zstd frame (or,
 * written before zstd, zlib stream) expanded with the dictionary it names.
 */
public final class StoredAuditJson {

	/** The columns to select. */
	public static final String COLUMNS = "resource, resource_deflated, resource_dictionary";

	private StoredAuditJson() {
	}

	/**
	 * A row mapper giving the JSON of rows selected with {@link #COLUMNS}.
	 * @param db where the dictionaries are read
	 * @return the mapper
	 */
	public static RowMapper<String> mapper(JdbcTemplate db) {
		return (rs, i) -> read(db, rs);
	}

	/**
	 * The JSON of a row selected with {@link #COLUMNS}.
	 * @param db where the dictionaries are read
	 * @param rs the row
	 * @return the AuditEvent
	 * @throws SQLException if the database fails
	 */
	public static String read(JdbcTemplate db, ResultSet rs) throws SQLException {
		String plain = rs.getString("resource");
		if (plain != null) {
			return plain;
		}
		byte[] dictionary = db.queryForObject("SELECT dictionary FROM crosswalk.audit_dictionary WHERE id = ?",
				byte[].class, rs.getInt("resource_dictionary"));
		byte[] stored = rs.getBytes("resource_deflated");
		if (stored.length > 4 && (stored[0] & 0xFF) == 0x28 && (stored[1] & 0xFF) == 0xB5) {
			try (ZstdDecompressCtx zstd = new ZstdDecompressCtx()) {
				zstd.loadDict(dictionary, ZstdDictContentType.RAW_CONTENT);
				return new String(zstd.decompress(stored, (int) Zstd.getFrameContentSize(stored)),
						StandardCharsets.UTF_8);
			}
		}
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(stored);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && inflater.needsDictionary()) {
					inflater.setDictionary(dictionary);
				}
				else if (n == 0 && inflater.needsInput()) {
					throw new IllegalStateException("a stored audit record ends early");
				}
				out.write(buffer, 0, n);
			}
			return out.toString(StandardCharsets.UTF_8);
		}
		catch (DataFormatException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			inflater.end();
		}
	}

}
