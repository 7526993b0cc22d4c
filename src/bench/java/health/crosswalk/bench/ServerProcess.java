package health.crosswalk.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import health.crosswalk.CrosswalkJar;

/**
 * The server under test: the built jar in a process of its own, on its own embedded
 * PostgreSQL (or the external one), with the JVM options of the run.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP_LIMIT = Duration.ofMinutes(4);

	private final CrosswalkJar jar;

	private final int databasePort;

	private ServerProcess(CrosswalkJar jar, int databasePort) {
		this.jar = jar;
		this.databasePort = databasePort;
	}

	/**
	 * Starts the jar and waits until it is ready.
	 * @param settings the run's settings
	 * @param workDir an empty folder of its own
	 * @param properties extra {@code --name=value} settings (comparisons switch
	 * capabilities off)
	 * @return the running server
	 */
	static ServerProcess start(BenchSettings settings, Path workDir, Map<String, String> properties)
			throws IOException {
		deleteRecursively(workDir);
		int databasePort = CrosswalkJar.freePort();
		CrosswalkJar.Launch launch = CrosswalkJar.in(workDir)
			.jvmOptions(settings.jvmOptions())
			.setting("server.port", Integer.toString(CrosswalkJar.freePort()))
			.setting("crosswalk.hospital.demo-data", "always")
			// The oldest Synthea patients' bundles reach 44 MB (16,700 entries), more
			// than a hospital's feed should send at once: the shipped limit is 32 MB.
			.setting("crosswalk.limits.max-body-size", "64MB")
			.setting("management.endpoints.web.exposure.include", "health,info,metrics");
		if (settings.externalDatabase()) {
			launch.setting("crosswalk.db.url", settings.dbUrl())
				.setting("crosswalk.db.username", settings.dbUsername())
				.setting("crosswalk.db.password", settings.dbPassword());
		}
		else {
			launch.setting("crosswalk.db.embedded.port", Integer.toString(databasePort));
		}
		properties.forEach(launch::setting);
		return new ServerProcess(launch.start(STARTUP_LIMIT), databasePort);
	}

	long pid() {
		return this.jar.pid();
	}

	String baseUrl() {
		return "http://localhost:" + this.jar.port();
	}

	double startupSeconds() {
		return this.jar.startupSeconds();
	}

	/**
	 * The JDBC URL of the server's database, for statistics and the ceiling test.
	 */
	String jdbcUrl(BenchSettings settings) {
		if (settings.externalDatabase()) {
			return settings.dbUrl();
		}
		// The embedded database's superuser, whose password its first start generated.
		Properties credentials = new Properties();
		try (Reader reader = Files.newBufferedReader(this.jar.log().resolveSibling("data/postgres.credentials"))) {
			credentials.load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return "jdbc:postgresql://localhost:" + this.databasePort + "/crosswalk?user=postgres&password="
				+ credentials.getProperty("superuser.password");
	}

	/**
	 * A dev-only key the first start printed, such as the admin's.
	 */
	String demoKey(String pattern) {
		return this.jar.demoKey(pattern);
	}

	/**
	 * CPU seconds the server process has used (user and system), from /proc.
	 */
	double cpuSeconds() throws IOException {
		return Cpu.ticks(Files.readString(Path.of("/proc", Long.toString(this.jar.pid()), "stat"))) / 100.0;
	}

	/**
	 * The server process's CPU now, in all and in the JIT compiler.
	 */
	Cpu cpu() throws IOException {
		return Cpu.of(this.jar.pid());
	}

	/**
	 * Resident set size of the server process, in MiB, from /proc.
	 */
	double rssMiB() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.jar.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

	@Override
	public void close() throws InterruptedException {
		this.jar.close();
	}

	private static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
