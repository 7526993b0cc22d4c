package health.crosswalk;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

/**
 * The packaged jar ({@code target/crosswalk.jar}) run in a process of its own, as the
 * README runs it: the one launcher of the default-run smoke test and the benchmark. The
 * process inherits no {@code CROSSWALK_*} or {@code SPRING_*} variable from the build, so
 * only the settings named here apply; {@link #start} returns once
 * {@code /actuator/health/readiness} answers 200 and fails at once, quoting the log, if
 * the process exits first.
 */
public final class CrosswalkJar implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

	private final Process process;

	private final Path log;

	private final int port;

	private final double startupSeconds;

	private CrosswalkJar(Process process, Path log, int port, double startupSeconds) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.startupSeconds = startupSeconds;
	}

	/**
	 * A launch in a folder of its own, which becomes the server's working directory (its
	 * {@code ./data} lives there).
	 * @param workDir the folder
	 * @return the launch's settings
	 */
	public static Launch in(Path workDir) {
		return new Launch(workDir);
	}

	/**
	 * A port nobody listens on now.
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public long pid() {
		return this.process.pid();
	}

	public Path log() {
		return this.log;
	}

	/** Seconds from the process's start to its first ready answer. */
	public double startupSeconds() {
		return this.startupSeconds;
	}

	/** The server's output so far. */
	public String logText() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

	/**
	 * A dev-only key the first start printed beside a name, such as the demo admin's.
	 * @param pattern a regular expression for what precedes the key on its line
	 * @return the key
	 */
	public String demoKey(String pattern) {
		Matcher matcher = Pattern.compile(pattern + "\\s+(cwk_\\S+)").matcher(logText());
		if (!matcher.find()) {
			throw new IllegalStateException("No demo key matching '" + pattern + "' in " + this.log);
		}
		return matcher.group(1);
	}

	/**
	 * Stops the server as a service manager would (SIGTERM, then SIGKILL after a minute).
	 * @return the process's exit value
	 */
	public int stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
		return this.process.exitValue();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			stop();
		}
	}

	/** What to start: JVM options, arguments, environment, log name. */
	public static final class Launch {

		private final Path workDir;

		private final List<String> jvmOptions = new ArrayList<>();

		private final List<String> arguments = new ArrayList<>();

		private final Map<String, String> environment = new LinkedHashMap<>();

		private String logName = "server.log";

		private Launch(Path workDir) {
			this.workDir = workDir;
		}

		public Launch jvmOptions(List<String> options) {
			this.jvmOptions.addAll(options);
			return this;
		}

		/** A command-line setting, {@code --name=value}. */
		public Launch setting(String name, String value) {
			this.arguments.add("--" + name + "=" + value);
			return this;
		}

		public Launch environment(String name, String value) {
			this.environment.put(name, value);
			return this;
		}

		public Launch log(String name) {
			this.logName = name;
			return this;
		}

		/**
		 * Starts the jar on a free port (or the {@code PORT} or {@code --server.port}
		 * given) and waits until it is ready.
		 * @param limit how long startup may take
		 * @return the running server
		 */
		public CrosswalkJar start(Duration limit) throws IOException {
			Path jar = Path.of("target", "crosswalk.jar").toAbsolutePath();
			if (!Files.exists(jar)) {
				throw new IllegalStateException("No " + jar + ": the jar is packaged before the integration tests "
						+ "and the benchmark run (mvn verify)");
			}
			int port = port();
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(this.jvmOptions);
			command.add("-jar");
			command.add(jar.toString());
			command.addAll(this.arguments);
			Files.createDirectories(this.workDir);
			Path log = this.workDir.resolve(this.logName);
			ProcessBuilder builder = new ProcessBuilder(command).directory(this.workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			Map<String, String> env = builder.environment();
			env.keySet().removeIf((name) -> name.startsWith("CROSSWALK_") || name.startsWith("SPRING_"));
			env.putAll(this.environment);
			if (!this.environment.containsKey("PORT") && this.arguments.stream().noneMatch(this::isPort)) {
				env.put("PORT", Integer.toString(port));
			}
			long started = System.nanoTime();
			Process process = builder.start();
			try {
				awaitReady(process, port, limit, log);
			}
			catch (RuntimeException ex) {
				process.destroyForcibly();
				throw ex;
			}
			return new CrosswalkJar(process, log, port, (System.nanoTime() - started) / 1e9);
		}

		private int port() {
			if (this.environment.containsKey("PORT")) {
				return Integer.parseInt(this.environment.get("PORT"));
			}
			return this.arguments.stream()
				.filter(this::isPort)
				.map((argument) -> Integer.parseInt(argument.substring("--server.port=".length())))
				.findFirst()
				.orElseGet(CrosswalkJar::freePort);
		}

		private boolean isPort(String argument) {
			return argument.startsWith("--server.port=");
		}

		private static void awaitReady(Process process, int port, Duration limit, Path log) {
			URI readiness = URI.create("http://localhost:" + port + "/actuator/health/readiness");
			Awaitility.await("the server at port " + port + " to be ready")
				.atMost(limit)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException("The server exited during startup: " + Files.readString(log));
					}
					try {
						return HTTP.send(HttpRequest.newBuilder(readiness).build(), BodyHandlers.discarding())
							.statusCode() == 200;
					}
					catch (IOException notYetListening) {
						return false;
					}
				});
		}

	}

}
