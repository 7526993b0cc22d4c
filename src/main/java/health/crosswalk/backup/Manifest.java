package health.crosswalk.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import health.crosswalk.database.PrivateFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a backup holds, written beside its dump ({@code <name>.manifest.json}) once the
 * dump is complete: the dump's size and SHA-256, the server it came from, and the census
 * taken in the very snapshot the dump read.
 *
 * @param format {@value #FORMAT}
 * @param taken when the snapshot was taken (ISO-8601, UTC)
 * @param dump the dump's file name, in the same folder
 * @param bytes the dump's size
 * @param sha256 the dump's SHA-256, hex
 * @param serverVersion the PostgreSQL server's version
 * @param database the database dumped
 * @param census what the snapshot held
 */
record Manifest(String format, String taken, String dump, long bytes, String sha256, String serverVersion,
		String database, Census census) {

	static final String FORMAT = "crosswalk-backup/1";

	static final String DUMP = ".dump";

	static final String SUFFIX = ".manifest.json";

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	static Path of(Path dump) {
		String name = dump.getFileName().toString();
		if (!name.endsWith(DUMP)) {
			throw new BackupException(dump + " is not a Crosswalk backup: its name must end in " + DUMP);
		}
		return dump.resolveSibling(name.substring(0, name.length() - DUMP.length()) + SUFFIX);
	}

	static Manifest read(Path file) {
		try {
			Manifest manifest = JSON.readValue(file.toFile(), Manifest.class);
			if (!FORMAT.equals(manifest.format()) || manifest.census() == null) {
				throw new BackupException(file + " is not a manifest of format " + FORMAT);
			}
			return manifest;
		}
		catch (IOException ex) {
			throw new BackupException("cannot read the manifest " + file + ": " + ex.getMessage()
					+ " (a dump without its manifest cannot be verified)");
		}
	}

	void write(Path file) throws IOException {
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		PrivateFiles.create(partial);
		JSON.writeValue(partial.toFile(), this);
		PrivateFiles.sync(partial);
		Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	static String sha256(Path file) throws IOException {
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
			return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
