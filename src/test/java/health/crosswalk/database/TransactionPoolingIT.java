package health.crosswalk.database;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import health.crosswalk.CrosswalkIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server's connections behind a real PgBouncer in transaction mode, one server
 * connection shared by four pooled ones: the application role's timeouts and search path
 * reach every transaction as its defaults, statements work whichever server session runs
 * them (no named server-side statements), a statement over the timeout is cancelled, and
 * migrations keep a session of their own on PostgreSQL itself.
 *
 * <p>
 * Needs {@code pgbouncer} on the {@code PATH} ({@code .ci/run} installs it); skipped
 * without it.
 */
class TransactionPoolingIT extends CrosswalkIntegrationTest {

	private Process pgbouncer;

	private Runnable resetDefaults = () -> {
	};

	private Path folder;

	@AfterEach
	void stop() throws Exception {
		if (this.pgbouncer != null) {
			this.pgbouncer.destroy();
			this.pgbouncer.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
		}
		this.resetDefaults.run();
		if (this.folder != null) {
			// It held the application role's password.
			try (java.util.stream.Stream<Path> files = Files.walk(this.folder)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	@Test
	void theServersSessionsWorkBehindPgBouncerInTransactionMode() throws Exception {
		Path binary = onPath("pgbouncer");
		assumeTrue(binary != null, "pgbouncer is not on the PATH");
		HikariDataSource application = context().getBean(CrosswalkDataSource.class);
		HikariDataSource owner = (HikariDataSource) context().getBean(SchemaOwner.class).dataSource();
		assumeTrue(!application.getUsername().equals(owner.getUsername()), "the test database has one role only");
		Properties direct = Driver.parseURL(owner.getJdbcUrl(), null);
		int port = start(binary, direct, application);
		DatabaseProperties pooled = new DatabaseProperties(
				"jdbc:postgresql://127.0.0.1:" + port + "/" + direct.getProperty("PGDBNAME"), application.getUsername(),
				application.getPassword(), owner.getUsername(), owner.getPassword(), owner.getJdbcUrl(), true, null, 4,
				Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10),
				new DatabaseProperties.Tls(null, null),
				new DatabaseProperties.Embedded(Path.of("unused"), 0, Duration.ofSeconds(5)));
		this.resetDefaults = () -> new JdbcTemplate(owner)
			.execute("ALTER ROLE \"" + application.getUsername() + "\" RESET ALL");

		try (CrosswalkDataSource dataSource = CrosswalkDataSource.create(pooled)) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);

			assertThat(jdbc.queryForObject("SHOW statement_timeout", String.class)).isEqualTo("1s");
			assertThat(jdbc.queryForObject("SHOW idle_in_transaction_session_timeout", String.class))
				.isEqualTo("10min");
			assertThat(jdbc.queryForObject("SHOW search_path", String.class)).isEqualTo("public");
			assertThat(jdbc.queryForObject("SELECT count(*) >= 0 FROM hfj_resource", Boolean.class)).isTrue();
			assertThat(new JdbcTemplate(dataSource.migrations()).queryForObject("SHOW statement_timeout", String.class))
				.as("migrations go to PostgreSQL itself, unbounded")
				.isEqualTo("0");

			// Each pooled connection runs the same statement many times, more than
			// pgjdbc's threshold for naming it on the server; a named statement
			// would be missing on the next server session.
			ExecutorService threads = Executors.newFixedThreadPool(4);
			List<Future<Integer>> runs = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				runs.add(threads.submit(() -> transactions(dataSource, 25)));
			}
			for (Future<Integer> run : runs) {
				assertThat(run.get()).isEqualTo(25 * 8);
			}
			threads.shutdown();

			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> {
				try (Connection connection = dataSource.getConnection();
						PreparedStatement sleep = connection.prepareStatement("SELECT pg_sleep(3)")) {
					sleep.execute();
				}
			}).satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57014"));
		}

		// A start without a pooler leaves the defaults: another node may need them.
		CrosswalkDataSource
			.create(new DatabaseProperties(owner.getJdbcUrl(), application.getUsername(), application.getPassword(),
					owner.getUsername(), owner.getPassword(), null, false, null, 2, Duration.ofSeconds(10),
					Duration.ofMinutes(1), Duration.ofMinutes(10), new DatabaseProperties.Tls(null, null),
					new DatabaseProperties.Embedded(Path.of("unused"), 0, Duration.ofSeconds(5))))
			.close();
		assertThat(new JdbcTemplate(owner).queryForList(
				"SELECT unnest(s.setconfig) FROM pg_db_role_setting s "
						+ "JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = ?",
				String.class, application.getUsername()))
			.contains("statement_timeout=1000ms");
	}

	private static int transactions(CrosswalkDataSource dataSource, int count) throws SQLException {
		int done = 0;
		for (int i = 0; i < count; i++) {
			try (Connection connection = dataSource.getConnection()) {
				connection.setAutoCommit(false);
				try (PreparedStatement statement = connection
					.prepareStatement("SELECT count(*) FROM hfj_resource WHERE res_type = ?")) {
					for (int run = 0; run < 8; run++) {
						statement.setString(1, "Patient");
						try (ResultSet rows = statement.executeQuery()) {
							rows.next();
							done++;
						}
					}
				}
				connection.commit();
			}
		}
		return done;
	}

	/** PgBouncer in transaction mode with one server connection, on a free port. */
	private int start(Path binary, Properties direct, HikariDataSource application) throws Exception {
		Path folder = Files.createTempDirectory(Path.of("target"), "pgbouncer");
		this.folder = folder;
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path users = folder.resolve("users.txt");
		Files.writeString(users, "\"" + application.getUsername() + "\" \"" + application.getPassword() + "\"\n");
		Path ini = folder.resolve("pgbouncer.ini");
		Files.writeString(ini, String.join("\n", "[databases]",
				direct.getProperty("PGDBNAME") + " = host=" + direct.getProperty("PGHOST") + " port="
						+ direct.getProperty("PGPORT") + " dbname=" + direct.getProperty("PGDBNAME"),
				"[pgbouncer]", "listen_addr = 127.0.0.1", "listen_port = " + port, "unix_socket_dir =",
				"auth_type = scram-sha-256", "auth_file = " + users.toAbsolutePath(), "pool_mode = transaction",
				"default_pool_size = 1", "max_client_conn = 50", "ignore_startup_parameters = extra_float_digits",
				"logfile = " + folder.resolve("pgbouncer.log").toAbsolutePath(), ""));
		// PgBouncer refuses to run as root; -u drops to another user, which then owns
		// the folder and the password file alone.
		Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
		List<String> command = new ArrayList<>(List.of(binary.toString()));
		if ("root".equals(System.getProperty("user.name"))) {
			command.addAll(List.of("-u", "nobody"));
			java.nio.file.attribute.UserPrincipal nobody = folder.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName("nobody");
			for (Path file : List.of(folder, users, ini)) {
				Files.setOwner(file, nobody);
			}
		}
		command.add(ini.toAbsolutePath().toString());
		this.pgbouncer = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(folder.resolve("stdout.log").toFile())
			.start();
		for (int attempt = 0; attempt < 100; attempt++) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				return port;
			}
			catch (java.io.IOException ex) {
				assertThat(this.pgbouncer.isAlive()).as(() -> "pgbouncer stopped: " + read(folder)).isTrue();
				Thread.sleep(100);
			}
		}
		throw new IllegalStateException("pgbouncer did not listen: " + read(folder));
	}

	private static String read(Path folder) {
		try {
			return Files.readString(folder.resolve("stdout.log"));
		}
		catch (java.io.IOException ex) {
			return ex.getMessage();
		}
	}

	private static Path onPath(String tool) {
		for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!entry.isBlank() && Files.isExecutable(Path.of(entry, tool))) {
				return Path.of(entry, tool);
			}
		}
		for (String folder : List.of("/usr/sbin", "/usr/local/sbin")) {
			if (Files.isExecutable(Path.of(folder, tool))) {
				return Path.of(folder, tool);
			}
		}
		return null;
	}

}
