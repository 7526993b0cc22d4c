package health.crosswalk.audit;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.database.SchemaOwner;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention: an old month of the trail goes to a file, whole and as sealed, its partition
 * is detached and dropped, and {@code $verify} still checks every link across it,
 * counting its records as archived rather than deleted.
 */
class AuditArchiveIT extends CrosswalkIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path folder;

	@Test
	void anOldMonthGoesToAFileWholeAndTheChainStillVerifiesAcrossIt() throws Exception {
		JdbcTemplate owner = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		FhirHttp http = new FhirHttp(serverUrl());
		String auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		Instant start = Instant.now();
		http.get("/fhir/Patient?_count=1", hospital().key());
		// An old month of records, as a server running then would have left it.
		YearMonth month = YearMonth.of(ThreadLocalRandom.current().nextInt(1901, 1950),
				ThreadLocalRandom.current().nextInt(1, 13));
		List<String> ids = sealedRecords(owner, month, 3, start);
		assertThat(verify(http, auditor, start).getParameter("archived")).isNull();

		int exit = AuditCommandLine.archive(
				new AuditArchive(context().getBean(SchemaOwner.class).dataSource(),
						context().getBean(AuditChain.class)),
				this.folder, month.plusMonths(1), context().getBeanProvider(CommandLineRecorder.class), System.out);

		assertThat(exit).isZero();
		String partition = String.format("audit_event_y%04dm%02d", month.getYear(), month.getMonthValue());
		assertThat(owner.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, "crosswalk." + partition))
			.as("the partition is gone")
			.isTrue();
		Path file = this.folder.resolve("crosswalk-audit-" + month + ".ndjson");
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).hasSize(4);
		for (String line : lines.subList(0, 3)) {
			JsonNode record = JSON.readTree(line);
			assertThat(ids).contains(record.at("/record/id").asText());
			assertThat(HexFormat.of().formatHex(ChainHash.digest(row(record.get("record")))))
				.as("the file holds each record as it was sealed")
				.isEqualTo(record.get("eventDigest").asText());
		}
		JsonNode summary = JSON.readTree(lines.get(3)).get("archive");
		assertThat(summary.get("events").asLong()).isEqualTo(3);
		assertThat(summary.at("/chainHead/position").asLong())
			.isGreaterThanOrEqualTo(summary.get("lastPosition").asLong());
		Map<String, Object> recorded = owner.queryForMap(
				"SELECT events, file_name, file_sha256 FROM crosswalk.audit_archive WHERE month = ?",
				LocalDate.of(month.getYear(), month.getMonth(), 1));
		assertThat(recorded).containsEntry("events", 3L)
			.containsEntry("file_name", file.getFileName().toString())
			.containsEntry("file_sha256", AuditArchive.sha256(file));

		Parameters after = verify(http, auditor, start);
		assertThat(after.getParameter("archived")).as(FHIR.newJsonParser().encodeResourceToString(after)).isNotNull();
		assertThat(after.getParameterValue("archived").primitiveValue()).isEqualTo("3");
		assertThat(after.getParameterValue("result").primitiveValue()).isIn("intact", "incomplete");
		assertThat(new JdbcTemplate(context().getBean(javax.sql.DataSource.class))
			.queryForObject("SELECT has_table_privilege(current_user, 'crosswalk.audit_archive', 'INSERT') AND "
					+ "current_user <> (SELECT tableowner FROM pg_tables WHERE schemaname = 'crosswalk' "
					+ "AND tablename = 'audit_archive')", Boolean.class))
			.as("the server's own role may not record archives")
			.isFalse();
	}

	@Test
	void aRecordDeletedByHandIsNeitherArchivedNorPassedOffAsArchived() throws Exception {
		JdbcTemplate owner = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		org.junit.jupiter.api.Assumptions.assumeTrue(
				owner.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", Boolean.class),
				"deleting from the trail needs a superuser, as an attacker with database access");
		FhirHttp http = new FhirHttp(serverUrl());
		String auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		Instant start = Instant.now();
		http.get("/fhir/Patient?_count=1", hospital().key());
		// Later than the other test's months, so that its archive run leaves this one be.
		YearMonth month = YearMonth.of(ThreadLocalRandom.current().nextInt(1950, 2000),
				ThreadLocalRandom.current().nextInt(1, 13));
		LocalDate first = LocalDate.of(month.getYear(), month.getMonth(), 1);
		String id = sealedRecords(owner, month, 1, start).get(0);
		String partition = String.format("crosswalk.audit_event_y%04dm%02d", month.getYear(), month.getMonthValue());
		behindTheServersBack(owner, "DELETE FROM " + partition + " WHERE id = '" + id + "'");

		AuditArchive archive = new AuditArchive(context().getBean(SchemaOwner.class).dataSource(),
				context().getBean(AuditChain.class));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(AuditArchive.ArchiveException.class)
			.as("a month missing a sealed record is not archived")
			.isThrownBy(() -> archive.archive(this.folder, month.plusMonths(1)))
			.withMessageContaining("has 1 seals but 0 records");
		assertThat(owner.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, partition)).isTrue();

		// The attacker drops the month and writes an archive row for it by hand.
		behindTheServersBack(owner,
				"ALTER TABLE crosswalk.audit_event DETACH PARTITION " + partition + "; DROP TABLE " + partition
						+ "; INSERT INTO crosswalk.audit_archive (month, partition_name, recorded_from, "
						+ "recorded_to, events, first_position, last_position, file_name, file_sha256, seals_sha256, "
						+ "algorithm, mac) SELECT '" + first + "', 'forged', '" + first + "T00:00:00Z', '"
						+ first.plusMonths(1) + "T00:00:00Z', 1, position, position, 'forged.ndjson', repeat('0', 64), "
						+ "repeat('0', 64), 'sha256', repeat('0', 64) " + "FROM crosswalk.audit_seal WHERE event_id = '"
						+ id + "'");
		Parameters verdict = verify(http, auditor, start);
		assertThat(verdict.getParameterValue("result").primitiveValue()).isEqualTo("broken");
		assertThat(FHIR.newJsonParser().encodeResourceToString(verdict)).contains("the record was deleted");
	}

	/**
	 * Records of an old month, as a server running then would have left them (copies of
	 * one recorded since the test began), once the test server's sealer has sealed them.
	 */
	private static List<String> sealedRecords(JdbcTemplate owner, YearMonth month, int count, Instant since) {
		owner.queryForList("SELECT crosswalk.ensure_audit_partition(?)", month.atDay(1));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = UUID.randomUUID().toString();
			owner.update("INSERT INTO crosswalk.audit_event (id, recorded, type, subtypes, action, outcome, agents, "
					+ "entities, source, " + AuditText.COLUMNS + ") SELECT ?::uuid, ?::timestamptz, type, subtypes, "
					+ "action, outcome, agents, entities, source, " + AuditText.COLUMNS
					+ " FROM crosswalk.audit_event WHERE recorded >= ? LIMIT 1", id, month.atDay(10 + i) + "T12:00:00Z",
					java.sql.Timestamp.from(since));
			ids.add(id);
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> owner.queryForObject(
					"SELECT count(*) FROM crosswalk.audit_seal WHERE event_id = ANY (?::uuid[])", Long.class,
					(Object) ids.toArray(String[]::new)) == count);
		return ids;
	}

	private static void behindTheServersBack(JdbcTemplate owner, String sql) {
		owner.execute((org.springframework.jdbc.core.ConnectionCallback<Void>) (connection) -> {
			try (var statement = connection.createStatement()) {
				statement.execute("SET session_replication_role = replica");
				try {
					statement.execute(sql);
				}
				finally {
					statement.execute("SET session_replication_role = origin");
				}
			}
			return null;
		});
	}

	private static Parameters verify(FhirHttp http, String auditor, Instant from) {
		HttpResponse<String> response = http.get("/fhir/AuditEvent/$verify?from=" + from, auditor);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return FHIR.newJsonParser().parseResource(Parameters.class, response.body());
	}

	private static AuditRow row(JsonNode record) {
		return new AuditRow(UUID.fromString(record.get("id").asText()),
				Instant.parse(record.get("recorded").asText()).toEpochMilli(), text(record, "hospital"),
				text(record, "type"), strings(record.get("subtypes")), record.get("action").asText().charAt(0),
				record.get("outcome").asInt(), text(record, "patient"), strings(record.get("agents")),
				strings(record.get("entities")), text(record, "source"), text(record, "requestId"),
				text(record, "resource"));
	}

	private static String text(JsonNode record, String field) {
		return record.get(field).isNull() ? null : record.get(field).asText();
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asText()));
		return values;
	}

}
