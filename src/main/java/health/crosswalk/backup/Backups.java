package health.crosswalk.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import health.crosswalk.database.PrivateFiles;
import health.crosswalk.audit.ChainCheck;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Takes backups and proves them.
 *
 * <p>
 * A backup is one {@code pg_dump} of both schemas (custom format, large objects included)
 * reading a snapshot this class exported, in which it also took the census; so the
 * manifest states exactly what the dump holds, however busy the server. The dump is
 * written under a temporary name and renamed when complete, then the manifest; a backup
 * without its manifest is unfinished and the next backup removes it. Rotation then
 * removes the backups the policy no longer keeps.
 *
 * <p>
 * A drill restores a dump into a scratch database of the same server (the owner needs
 * CREATEDB), checks the dump against its manifest's SHA-256, takes the census of the copy
 * and compares it with the manifest's, verifies the whole audit chain of the copy and
 * that it still ends at the head the manifest recorded, and drops the scratch database
 * whatever happened.
 */
final class Backups {

	static final String PREFIX = "crosswalk-";

	private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final DataSource owner;

	private final PgEndpoint endpoint;

	private final PgTools tools;

	private final Clock clock;

	Backups(DataSource owner, PgEndpoint endpoint, PgTools tools, Clock clock) {
		this.owner = owner;
		this.endpoint = endpoint;
		this.tools = tools;
		this.clock = clock;
	}

	/**
	 * Takes a backup into a folder, then rotates the folder's backups.
	 * @param folder where backups are kept
	 * @param rotation which to keep
	 * @return the new backup's manifest and the backups removed
	 */
	Taken backup(Path folder, Rotation rotation) throws IOException, SQLException {
		PrivateFiles.folder(folder);
		// One backup at a time per folder: another's unfinished files are not ours to
		// remove, nor its rotation to race.
		try (FileChannel lockFile = FileChannel.open(folder.resolve(".crosswalk-backup.lock"),
				StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
			if (lock == null) {
				throw new BackupException("another backup is running in " + folder + "; try again when it ends");
			}
			return backupLocked(folder, rotation);
		}
	}

	private Taken backupLocked(Path folder, Rotation rotation) throws IOException, SQLException {
		removeUnfinished(folder);
		Instant taken = this.clock.instant();
		String name = PREFIX + NAME.format(taken);
		Path dump = folder.resolve(name + Manifest.DUMP);
		Path partial = folder.resolve(name + Manifest.DUMP + ".partial");
		Manifest manifest;
		try (Connection connection = this.owner.getConnection()) {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			connection.setReadOnly(true);
			try {
				String version = serverVersion(connection);
				String snapshot;
				try (Statement statement = connection.createStatement();
						ResultSet rows = statement.executeQuery("SELECT pg_export_snapshot()")) {
					rows.next();
					snapshot = rows.getString(1);
				}
				Census census = Census.take(connection);
				if (!census.tables().containsKey("crosswalk.flyway_schema_history")) {
					throw new BackupException("the database " + this.endpoint + " holds no Crosswalk schema: nothing "
							+ "to back up (start the server on it, or run 'db migrate', first)");
				}
				PrivateFiles.create(partial);
				this.tools.dump(this.endpoint, this.endpoint.database(), snapshot, partial);
				PrivateFiles.sync(partial);
				manifest = new Manifest(Manifest.FORMAT, taken.toString(), dump.getFileName().toString(),
						Files.size(partial), Manifest.sha256(partial), version, this.endpoint.database(), census);
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
		Files.move(partial, dump, StandardCopyOption.ATOMIC_MOVE);
		manifest.write(Manifest.of(dump));
		// Only a backup that is on disk may let rotation remove older ones.
		PrivateFiles.sync(folder);
		return new Taken(dump, manifest, rotate(folder, rotation));
	}

	private String serverVersion(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(
						"SELECT current_setting('server_version_num')::int, " + "current_setting('server_version')")) {
			rows.next();
			this.tools.requireAtLeast(rows.getInt(1) / 10000);
			return rows.getString(2);
		}
	}

	/** Removes the parts of backups a crash left unfinished. */
	private static void removeUnfinished(Path folder) throws IOException {
		for (Path file : list(folder)) {
			String name = file.getFileName().toString();
			boolean partial = name.endsWith(".partial");
			boolean orphan = name.endsWith(Manifest.DUMP) && !Files.exists(Manifest.of(file));
			if (partial || orphan) {
				Files.deleteIfExists(file);
			}
		}
	}

	/** Removes the finished backups the policy does not keep; returns their dumps. */
	private static List<Path> rotate(Path folder, Rotation rotation) throws IOException {
		Map<Instant, Path> backups = new TreeMap<>();
		for (Path file : list(folder)) {
			String name = file.getFileName().toString();
			if (name.endsWith(Manifest.SUFFIX)) {
				Path dump = file
					.resolveSibling(name.substring(0, name.length() - Manifest.SUFFIX.length()) + Manifest.DUMP);
				try {
					backups.put(
							Instant.from(NAME
								.parse(name.substring(PREFIX.length(), name.length() - Manifest.SUFFIX.length()))),
							dump);
				}
				catch (java.time.DateTimeException ex) {
					// Not named by this class: not ours to remove.
				}
			}
		}
		Set<Instant> kept = rotation.keep(backups.keySet());
		List<Path> removed = new ArrayList<>();
		for (Map.Entry<Instant, Path> backup : backups.entrySet()) {
			if (!kept.contains(backup.getKey())) {
				// The manifest first: a dump left alone is unfinished and goes next time.
				Files.deleteIfExists(Manifest.of(backup.getValue()));
				Files.deleteIfExists(backup.getValue());
				removed.add(backup.getValue());
			}
		}
		return removed;
	}

	private static List<Path> list(Path folder) throws IOException {
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, PREFIX + "*")) {
			entries.forEach(files::add);
		}
		return files;
	}

	/**
	 * Restores a backup into a scratch database and checks it.
	 * @param dump the backup's dump, its manifest beside it
	 * @param chain verifies the audit chain of a database
	 * @return what the drill found
	 */
	Drill verify(Path dump, ChainVerifier chain) throws IOException, SQLException {
		Instant start = this.clock.instant();
		Manifest manifest = Manifest.read(Manifest.of(dump));
		long bytes = Files.size(dump);
		String sha256 = Manifest.sha256(dump);
		if (bytes != manifest.bytes() || !sha256.equals(manifest.sha256())) {
			return new Drill(manifest, null,
					List.of("the dump is not the one its manifest describes: " + bytes + " bytes, SHA-256 " + sha256
							+ "; the manifest says " + manifest.bytes() + " bytes, " + manifest.sha256()
							+ " (damaged or altered)"),
					null, Duration.ZERO);
		}
		try (Connection connection = this.owner.getConnection()) {
			serverVersion(connection);
		}
		String scratch = "crosswalk_verify_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		execute("CREATE DATABASE " + scratch + " ENCODING 'UTF8' TEMPLATE template0",
				"create the scratch database " + scratch + " (the schema owner needs CREATEDB)");
		Throwable failure = null;
		try {
			this.tools.restore(this.endpoint, scratch, dump);
			PGSimpleDataSource copy = new PGSimpleDataSource();
			copy.setURL(this.endpoint.jdbcUrl(scratch));
			this.endpoint.jdbcProperties().forEach((key, value) -> {
				try {
					copy.setProperty(key.toString(), value.toString());
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			Census restored;
			try (Connection connection = copy.getConnection()) {
				restored = Census.take(connection);
			}
			List<String> differences = manifest.census().differences(restored);
			ChainCheck.Outcome outcome = chain.verify(copy, manifest.census().sealPosition(),
					manifest.census().sealHash());
			return new Drill(manifest, restored, differences, outcome, Duration.between(start, this.clock.instant()));
		}
		catch (SQLException | RuntimeException ex) {
			failure = ex;
			throw ex;
		}
		finally {
			try {
				execute("DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)", "drop the scratch database " + scratch);
			}
			catch (BackupException ex) {
				if (failure == null) {
					throw ex;
				}
				failure.addSuppressed(ex);
			}
		}
	}

	private void execute(String sql, String what) {
		try (Connection connection = this.owner.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.execute();
		}
		catch (SQLException ex) {
			throw new BackupException("could not " + what + ": " + ex.getMessage());
		}
	}

	/**
	 * Verifies the audit chain of a database, and that it holds an earlier head.
	 */
	@FunctionalInterface
	interface ChainVerifier {

		ChainCheck.Outcome verify(DataSource database, long headPosition, String headHash) throws SQLException;

	}

	/**
	 * A backup taken.
	 *
	 * @param dump its dump
	 * @param manifest its manifest
	 * @param removed the dumps of older backups rotation removed
	 */
	record Taken(Path dump, Manifest manifest, List<Path> removed) {
	}

	/**
	 * What a restore drill found.
	 *
	 * @param manifest the backup's manifest
	 * @param restored the census of the restored copy, or null when it was not restored
	 * @param differences every way the copy differs from the manifest; empty when none
	 * @param chain the audit chain of the copy, or null when it was not restored
	 * @param took how long the drill took
	 */
	record Drill(Manifest manifest, Census restored, List<String> differences, ChainCheck.Outcome chain,
			Duration took) {

		boolean verified() {
			return this.differences.isEmpty() && this.chain != null && this.chain.holds();
		}

	}

}
