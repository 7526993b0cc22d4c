package health.crosswalk.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.audit.ChainCheck;
import health.crosswalk.database.SchemaOwner;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The restore drill on the test server's own PostgreSQL: a backup taken while the server
 * runs restores into a scratch database whose every table, resource count per hospital,
 * migration history and audit chain equal what the manifest recorded; a damaged dump or a
 * manifest that does not match the copy is not verified.
 *
 * <p>
 * Needs PostgreSQL's client tools ({@code pg_dump}, {@code pg_restore}) of the server's
 * major version or newer on the {@code PATH}; {@code .ci/run} installs them, and without
 * them the drill is skipped with that reason.
 */
class BackupDrillIT extends CrosswalkIntegrationTest {

	@TempDir
	Path folder;

	private Backups backups;

	private DataSource owner;

	@BeforeEach
	void tools() {
		PgTools tools;
		try {
			tools = PgTools.find(null, System.getenv("PATH"));
		}
		catch (BackupException ex) {
			assumeTrue(false, ex.getMessage());
			return;
		}
		this.owner = context().getBean(SchemaOwner.class).dataSource();
		int server = new JdbcTemplate(this.owner).queryForObject("SHOW server_version_num", Integer.class) / 10000;
		assumeTrue(tools.major() >= server, "pg_dump " + tools.major() + " cannot dump PostgreSQL " + server);
		this.backups = new Backups(this.owner, PgEndpoint.of(this.owner), tools, Clock.systemUTC());
	}

	@Test
	void aBackupTakenUnderTheRunningServerRestoresWithEqualFiguresAndAnIntactAuditChain() throws Exception {
		TestHospital hospital = hospital();
		newPatient(client());
		newPatient(client());

		Backups.Taken taken = this.backups.backup(this.folder, new Rotation(7, 4, 3));

		Census census = taken.manifest().census();
		assertThat(census.resources().get(hospital.slug())).containsEntry("Patient", 2L);
		assertThat(census.tables()).containsKeys("public.hfj_resource", "crosswalk.hospital",
				"crosswalk.flyway_schema_history");
		assertThat(census.flywayHistory()).isNotNull();
		assertThat(census.hapiHistory()).isNotNull();
		assertThat(census.sealPosition()).as("the test server's sealer has sealed records by now").isPositive();
		assertThat(Files.list(this.folder).map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder(
				taken.dump().getFileName().toString(), Manifest.of(taken.dump()).getFileName().toString(),
				".crosswalk-backup.lock");
		if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			assertThat(
					java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(taken.dump())))
				.as("the dump holds every patient's data: its owner's only")
				.isEqualTo("rw-------");
		}

		Backups.Drill drill = this.backups.verify(taken.dump(), this::chain);

		assertThat(drill.differences()).isEmpty();
		assertThat(drill.restored().tables()).isEqualTo(census.tables());
		assertThat(drill.restored().resources().get(hospital.slug())).containsEntry("Patient", 2L);
		assertThat(drill.chain().unsealed()).isEqualTo(census.unsealed());
		// The copy's chain is exactly as intact as the source's. The shared test
		// database may hold a chain AuditChainIT broke on purpose: then the drill
		// names the same break and does not verify.
		ChainCheck.Outcome source = chain(this.owner, census.sealPosition(), census.sealHash());
		assertThat(drill.chain().holds()).isEqualTo(source.holds());
		assertThat(drill.chain().problem()).isEqualTo(source.problem());
		if (source.holds()) {
			assertThat(drill.chain().checked()).as("the whole chain, to the recorded head")
				.isEqualTo(census.sealPosition());
			assertThat(drill.verified()).isTrue();
		}
		else {
			assertThat(drill.chain().problem()).contains("position");
			assertThat(drill.verified()).isFalse();
		}
		assertThat(scratchDatabases()).as("the scratch database is dropped").isZero();
	}

	@Test
	void aDamagedDumpOrACopyThatDiffersFromItsManifestIsNotVerified() throws Exception {
		TestHospital hospital = hospital();
		newPatient(client());
		Backups.Taken taken = this.backups.backup(this.folder, new Rotation(7, 4, 3));
		Path manifestFile = Manifest.of(taken.dump());

		// The manifest claims a patient the dump does not hold.
		ObjectMapper json = new ObjectMapper();
		ObjectNode manifest = (ObjectNode) json.readTree(manifestFile.toFile());
		((ObjectNode) manifest.path("census").path("resources").path(hospital.slug())).put("Patient", 2);
		json.writeValue(manifestFile.toFile(), manifest);
		Backups.Drill differs = this.backups.verify(taken.dump(), this::chain);
		assertThat(differs.verified()).isFalse();
		assertThat(differs.differences())
			.containsExactly(hospital.slug() + " Patient: 2 resources in the source, 1 restored");
		ChainCheck.Outcome source = chain(this.owner, taken.manifest().census().sealPosition(),
				taken.manifest().census().sealHash());
		assertThat(differs.chain().holds()).as("the copy's chain is as intact as the source's")
			.isEqualTo(source.holds());

		// One byte of the dump changed: refused before anything is restored.
		byte[] bytes = Files.readAllBytes(taken.dump());
		bytes[bytes.length / 2] ^= 0x01;
		Files.write(taken.dump(), bytes, StandardOpenOption.TRUNCATE_EXISTING);
		Backups.Drill damaged = this.backups.verify(taken.dump(), this::chain);
		assertThat(damaged.verified()).isFalse();
		assertThat(damaged.restored()).isNull();
		assertThat(damaged.differences()).singleElement()
			.asString()
			.contains("the dump is not the one its manifest describes", "damaged or altered");
		assertThat(scratchDatabases()).isZero();
	}

	private ChainCheck.Outcome chain(DataSource database, long position, String hash) throws java.sql.SQLException {
		return ChainCheck.of(database, context().getEnvironment()).verify(position, hash);
	}

	private int scratchDatabases() {
		return new JdbcTemplate(this.owner).queryForObject(
				"SELECT count(*) FROM pg_database WHERE datname LIKE 'crosswalk\\_verify\\_%'", Integer.class);
	}

}
