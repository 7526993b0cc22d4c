package health.crosswalk.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import health.crosswalk.JarReadiness;

/**
 * The server under test: the built jar in a process of its own, on its own embedded
 * PostgreSQL (or the external one), with the JVM options of the run.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP_LIMIT = Duration.ofMinutes(4);

	private final Process process;

	private final Path log;

	private final int port;

	private final int databasePort;

	private final double startupSeconds;

	private ServerProcess(Process process, Path log, int port, int databasePort, double startupSeconds) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.databasePort = databasePort;
		this.startupSeconds = startupSeconds;
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
			throws IOException, InterruptedException {
		deleteRecursively(workDir);
		Files.createDirectories(workDir);
		Path jar = Path.of("target", "crosswalk.jar").toAbsolutePath();
		if (!Files.exists(jar)) {
			throw new IllegalStateException("No " + jar + "; the benchmark runs after mvn package");
		}
		int port = freePort();
		int databasePort = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(settings.jvmOptions());
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.add("--crosswalk.hospital.demo-data=always");
		// The oldest Synthea patients' lifetime bundles reach 44 MB (16,700 entries):
		// more than a hospital's feed should send at once (the shipped limit is 32 MB).
		command.add("--crosswalk.limits.max-body-size=64MB");
		command.add("--management.endpoints.web.exposure.include=health,info,metrics");
		if (settings.externalDatabase()) {
			command.add("--crosswalk.db.url=" + settings.dbUrl());
			command.add("--crosswalk.db.username=" + settings.dbUsername());
			command.add("--crosswalk.db.password=" + settings.dbPassword());
		}
		else {
			command.add("--crosswalk.db.embedded.port=" + databasePort);
		}
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		Path log = workDir.resolve("server.log");
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().keySet().removeIf((name) -> name.startsWith("CROSSWALK_") || name.startsWith("SPRING_"));
		long started = System.nanoTime();
		Process process = builder.start();
		JarReadiness.await(process, port, STARTUP_LIMIT, log);
		double seconds = (System.nanoTime() - started) / 1e9;
		return new ServerProcess(process, log, port, databasePort, seconds);
	}

	long pid() {
		return this.process.pid();
	}

	String baseUrl() {
		return "http://localhost:" + this.port;
	}

	double startupSeconds() {
		return this.startupSeconds;
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
		try (Reader reader = Files.newBufferedReader(this.log.resolveSibling("data/postgres.credentials"))) {
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
	String demoKey(String pattern) throws IOException {
		Matcher matcher = Pattern.compile(pattern + "\\s+(cwk_\\S+)").matcher(Files.readString(this.log));
		if (!matcher.find()) {
			throw new IllegalStateException("No demo key matching '" + pattern + "' in " + this.log);
		}
		return matcher.group(1);
	}

	/**
	 * CPU seconds the server process has used (user and system), from /proc.
	 */
	double cpuSeconds() throws IOException {
		String[] stat = Files.readString(Path.of("/proc", Long.toString(this.process.pid()), "stat"))
			.replaceFirst("^.*\\) ", "")
			.split(" ");
		long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
		return ticks / 100.0;
	}

	/**
	 * Resident set size of the server process, in MiB, from /proc.
	 */
	double rssMiB() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.process.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
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

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
