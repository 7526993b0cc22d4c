package health.crosswalk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;

/**
 * Waits for a server started from the packaged jar (the default-run smoke test, the
 * benchmark) to report ready, failing at once if its process exits.
 */
public final class JarReadiness {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private JarReadiness() {
	}

	/**
	 * Polls {@code /actuator/health/readiness} until it answers 200.
	 * @param process the server's process
	 * @param port its HTTP port
	 * @param limit how long startup may take
	 * @param log the server's log, quoted when it fails
	 */
	public static void await(Process process, int port, Duration limit, Path log) {
		URI readiness = URI.create("http://localhost:" + port + "/actuator/health/readiness");
		Awaitility.await("the server at port " + port + " to be ready")
			.atMost(limit)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("The server exited during startup: " + read(log));
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

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

}
