package health.crosswalk.hospital;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.StoredAuditJson;
import health.crosswalk.database.SchemaOwner;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry commands of the sample in src/site/markdown/hospitals.md, run as it shows
 * them: a separate JVM of the packaged jar ({@code java -jar target/crosswalk.jar ...}),
 * pointed at PostgreSQL through {@code CROSSWALK_DB_URL} with the shipped defaults (audit
 * on). The test's own PostgreSQL plays the external database: an empty database of a new
 * owner role and an application role for the first start, then the running test server's
 * database, whose API shows each command's effect. (Each JVM costs about 40 seconds: the
 * other commands are left to {@link HospitalCommandLineIT}, in-process, and to the admin
 * API's tests.)
 */
class CommandLineIT extends CrosswalkIntegrationTest {

	private static final Pattern KEY = Pattern.compile("key: (cwk_([a-z0-9]{16})_\\S+)");

	private static final String COMMAND_AUDIT_TYPE = "urn:crosswalk:audit-type|admin";

	@Test
	void firstAdministratorKeyOnAnEmptyExternalDatabaseWithAnOwnerAndAnApplicationRole() throws Exception {
		String name = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String password = UUID.randomUUID().toString();
		String application = name + "_app";
		String applicationPassword = UUID.randomUUID().toString();
		JdbcTemplate admin = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		try {
			// The application role does not exist yet: the owner creates it.
			admin.execute("CREATE ROLE " + name + " LOGIN CREATEROLE PASSWORD '" + password + "'");
			admin.execute("CREATE DATABASE " + name + " OWNER " + name);
		}
		catch (DataAccessException ex) {
			Assumptions.abort("needs CREATEROLE and CREATEDB on the test database: " + ex.getMessage());
		}
		try {
			String url = serverDatabase().getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");

			Map<String, String> owner = Map.of("CROSSWALK_DB_OWNER_USERNAME", name, "CROSSWALK_DB_OWNER_PASSWORD",
					password);
			// db status reads the empty database and changes nothing.
			Run before = jar(url, application, applicationPassword, owner, "db", "status");
			assertThat(before.exitCode()).as(before.output()).isEqualTo(3);
			assertThat(before.output()).contains("not created yet", "db migrate");

			Run run = jar(url, application, applicationPassword, owner, "key", "create", "--role", "admin", "--label",
					"first administrator");

			assertThat(run.exitCode()).as(run.output()).isZero();
			Run after = jar(url, application, applicationPassword, owner, "db", "status");
			assertThat(after.exitCode()).as(after.output()).isZero();
			assertThat(after.output()).contains("Up to date.");
			Matcher key = KEY.matcher(run.output());
			assertThat(key.find()).as(run.output()).isTrue();
			try (Connection connection = DriverManager.getConnection(url, name, password)) {
				JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
				assertThat(db.queryForList("SELECT role FROM crosswalk.api_key WHERE key_id = ? AND revoked_at IS NULL",
						String.class, key.group(2)))
					.as("the new database holds the administrator key")
					.containsExactly("admin");
				Map<String, Object> record = db.queryForObject(
						"SELECT tableoid::regclass::text AS partition, outcome, " + StoredAuditJson.COLUMNS
								+ " FROM crosswalk.audit_event",
						(rs, i) -> Map.of("partition", rs.getString("partition"), "outcome", rs.getInt("outcome"),
								"resource", StoredAuditJson.read(db, rs)));
				assertThat((String) record.get("partition"))
					.as("the record lands in its month's partition, so a "
							+ "server started later can still create that partition")
					.matches("crosswalk\\.audit_event_y\\d{4}m\\d{2}");
				assertThat(((Number) record.get("outcome")).intValue()).isZero();
				String resource = (String) record.get("resource");
				assertThat(resource).contains("command line: key create").doesNotContain(key.group(1));
				assertThat(FHIR.newJsonParser().parseResource(AuditEvent.class, resource).getAction())
					.isEqualTo(AuditEvent.AuditEventAction.C);
				assertThat(db.queryForObject("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
						+ "WHERE r.rolname = ?", Long.class, application))
					.as("the application role owns nothing")
					.isZero();
				assertThat(db.queryForObject(
						"SELECT has_table_privilege(?, 'crosswalk.audit_event', 'UPDATE') "
								+ "OR has_table_privilege(?, 'crosswalk.audit_event', 'DELETE')",
						Boolean.class, application, application))
					.as("the application role may not change the audit trail")
					.isFalse();
				assertThat(db.queryForObject(
						"SELECT has_table_privilege(?, 'crosswalk.audit_event', 'INSERT') "
								+ "AND has_table_privilege(?, 'public.hfj_resource', 'UPDATE')",
						Boolean.class, application, application))
					.as("but may append to it and write FHIR data")
					.isTrue();

				// A month whose records sit in the default partition (a
				// command run while no server had made that month's
				// partition) no longer stops a server's start.
				db.update("INSERT INTO crosswalk.audit_event (id, recorded, type, subtypes, action, "
						+ "outcome, agents, entities, source, " + StoredAuditJson.COLUMNS
						+ ") SELECT gen_random_uuid(), "
						+ "'2091-05-07T00:00:00Z', type, subtypes, action, outcome, agents, entities, source, "
						+ StoredAuditJson.COLUMNS + " FROM crosswalk.audit_event LIMIT 1");
				db.queryForList("SELECT crosswalk.ensure_audit_partition('2091-05-01')");
				assertThat(db.queryForObject("SELECT to_regclass('crosswalk.audit_event_y2091m05') IS NULL",
						Boolean.class))
					.isTrue();
			}
		}
		finally {
			admin.execute("DROP DATABASE IF EXISTS " + name);
			admin.execute("DROP ROLE IF EXISTS " + application);
			admin.execute("DROP ROLE IF EXISTS " + name);
		}
	}

	@Test
	void documentedCommandsWorkAgainstARunningServersDatabase() {
		HikariDataSource database = serverDatabase();
		String slug = "cli-" + UUID.randomUUID().toString().substring(0, 8);
		String system = "urn:oid:2.16.840.1.113883.3.7001." + Math.abs(UUID.randomUUID().getMostSignificantBits());
		FhirHttp http = new FhirHttp(serverUrl());
		String adminKey = TestHospitals.networkKey(context(), Role.ADMIN);
		long recordsBefore = lastRecord();

		Run created = command(database, "hospital", "create", "--slug", slug, "--name", "St Mary's", "--system",
				system);
		assertThat(created.output()).contains(slug).contains("St Mary's").contains(system);
		assertThat(http.get("/admin/hospitals/" + slug, adminKey).body()).contains("St Mary's");

		Run issued = command(database, "key", "create", "--hospital", slug, "--role", "hospital-system", "--label",
				"EHR feed");
		Matcher key = KEY.matcher(issued.output());
		assertThat(key.find()).as(issued.output()).isTrue();
		assertThat(http.get("/fhir/Patient", key.group(1)).statusCode()).isEqualTo(200);
		String clinicianKey = TestHospitals.hospitalKey(context(), slug, Role.CLINICIAN);

		assertThat(command(database, "hospital", "list").output()).contains(slug);
		assertThat(command(database, "key", "list", "--hospital", slug).output()).contains(key.group(2))
			.contains("EHR feed")
			.doesNotContain(key.group(1));

		assertThat(command(database, "key", "revoke", key.group(2)).output()).contains("REVOKED");
		// The server hears of each change by PostgreSQL's notification of it.
		await().atMost(Duration.ofSeconds(2)).until(() -> http.get("/fhir/Patient", key.group(1)).statusCode() == 401);

		assertThat(command(database, "hospital", "suspend", slug).output()).contains("[suspended]");
		await().atMost(Duration.ofSeconds(2)).until(() -> http.get("/fhir/Patient", clinicianKey).statusCode() == 401);

		assertThat(commandRecords(recordsBefore)).containsExactly("command line: hospital create",
				"command line: key create", "command line: hospital list", "command line: key list",
				"command line: key revoke", "command line: hospital suspend");
	}

	/** A command that must succeed, with its audit record checked. */
	private Run command(HikariDataSource database, String... args) {
		Run run = jar(database.getJdbcUrl(), database.getUsername(), database.getPassword(), args);
		assertThat(run.exitCode()).as(run.output()).isZero();
		return run;
	}

	private long lastRecord() {
		Long seq = new JdbcTemplate(serverDatabase()).queryForObject("SELECT max(seq) FROM crosswalk.audit_event",
				Long.class);
		return (seq != null) ? seq : 0;
	}

	/**
	 * The command-line records made since a point, oldest first: their interactions, each
	 * checked to be a success that names no key.
	 */
	private List<String> commandRecords(long after) {
		List<String> interactions = new ArrayList<>();
		JdbcTemplate db = new JdbcTemplate(serverDatabase());
		db.query("SELECT subtypes[1], outcome, " + StoredAuditJson.COLUMNS + " FROM crosswalk.audit_event "
				+ "WHERE seq > ? AND type = ? AND subtypes[1] LIKE 'command line:%' ORDER BY seq", (rs) -> {
					String json = StoredAuditJson.read(db, rs);
					assertThat(rs.getInt(2)).as(json).isZero();
					assertThat(json).doesNotContainPattern("cwk_[a-z0-9]{16}_");
					interactions.add(rs.getString(1));
				}, after, COMMAND_AUDIT_TYPE);
		return interactions;
	}

	private HikariDataSource serverDatabase() {
		return context().getBean(HikariDataSource.class);
	}

	/**
	 * Runs {@code java -jar target/crosswalk.jar <args>} with only the database named in
	 * the environment.
	 */
	private static Run jar(String url, String username, String password, String... args) {
		return jar(url, username, password, Map.of(), args);
	}

	private static Run jar(String url, String username, String password, Map<String, String> more, String... args) {
		Path jar = Path.of("target", "crosswalk.jar").toAbsolutePath();
		assertThat(jar).as("the packaged jar; run through mvn verify").exists();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.keySet().removeIf((name) -> name.startsWith("CROSSWALK_") || name.startsWith("SPRING_"));
		env.put("CROSSWALK_DB_URL", url);
		env.put("CROSSWALK_DB_USERNAME", username);
		if (password != null) {
			env.put("CROSSWALK_DB_PASSWORD", password);
		}
		env.putAll(more);
		try {
			Process process = builder.start();
			process.getOutputStream().close();
			byte[] output = process.getInputStream().readAllBytes();
			assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
			return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record Run(int exitCode, String output) {
	}

}
