package health.crosswalk;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the built jar the way the README does, with no settings at all, in an empty
 * folder: the server starts its embedded PostgreSQL, answers {@code /fhir/metadata}, and
 * still has its data after a restart.
 */
class DefaultRunSmokeIT {

	private static final Duration STARTUP_LIMIT = Duration.ofMinutes(3);

	@TempDir
	Path workDir;

	@Test
	void defaultRunServesFhirAndKeepsDataAcrossRestart() throws Exception {
		int port = freePort();
		String base = "http://localhost:" + port + "/fhir";
		IIdType patientId;
		String key;

		Process first = start(port, "first.log");
		try {
			awaitReady(first, base, "first.log");
			assertThat(HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(base + "/metadata")).build(), BodyHandlers.discarding())
				.statusCode()).isEqualTo(200);
			key = demoKey(Files.readString(this.workDir.resolve("first.log")));
			patientId = client(base, key).create()
				.resource(CoreResources.PATIENT.create("smoke-1", null))
				.execute()
				.getId()
				.toUnqualifiedVersionless();
		}
		finally {
			stop(first);
		}
		assertThat(first.exitValue()).as("graceful shutdown exits cleanly").isIn(0, 143);
		String firstLog = Files.readString(this.workDir.resolve("first.log"));
		assertThat(firstLog).contains("Embedded PostgreSQL").contains("new data in");
		assertThat(firstLog).containsPattern("Started CrosswalkApplication in [0-9.]+ seconds");
		assertThat(this.workDir.resolve("data/postgres/PG_VERSION")).as("data lives in ./data/postgres").exists();

		Process second = start(port, "second.log");
		try {
			awaitReady(second, base, "second.log");
			Patient patient = client(base, key).read().resource(Patient.class).withId(patientId).execute();
			assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("smoke-1");
		}
		finally {
			stop(second);
		}
		String secondLog = Files.readString(this.workDir.resolve("second.log"));
		assertThat(secondLog).contains("existing data in");
		assertThat(secondLog).as("demo keys are shown once, on the first start").doesNotContain("DEV ONLY");
	}

	private Process start(int port, String logName) throws IOException {
		Path jar = Path.of("target", "crosswalk.jar").toAbsolutePath();
		assertThat(jar).as("the packaged jar; run through mvn verify").exists();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", jar.toString()))
			.directory(this.workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.workDir.resolve(logName).toFile());
		Map<String, String> env = builder.environment();
		env.keySet().removeIf((name) -> name.startsWith("CROSSWALK_") || name.startsWith("SPRING_"));
		env.put("PORT", Integer.toString(port));
		return builder.start();
	}

	private void awaitReady(Process process, String base, String logName) {
		JarReadiness.await(process, URI.create(base).getPort(), STARTUP_LIMIT, this.workDir.resolve(logName));
	}

	private String log(String logName) {
		try {
			return Files.readString(this.workDir.resolve(logName));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}

	private static IGenericClient client(String base, String key) {
		FhirContext fhir = FhirContext.forR4Cached();
		fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		IGenericClient client = fhir.newRestfulGenericClient(base);
		client.registerInterceptor(new BearerTokenAuthInterceptor(key));
		return client;
	}

	private static String demoKey(String log) {
		Matcher matcher = Pattern.compile("demo-general\\s+hospital-system\\s+(cwk_\\S+)").matcher(log);
		assertThat(matcher.find()).as("the first start prints dev-only demo keys").isTrue();
		return matcher.group(1);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
