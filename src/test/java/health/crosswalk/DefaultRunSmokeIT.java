package health.crosswalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;

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
		String port = Integer.toString(CrosswalkJar.freePort());
		String base = "http://localhost:" + port + "/fhir";
		IIdType patientId;
		String key;

		String firstLog;
		try (CrosswalkJar first = CrosswalkJar.in(this.workDir)
			.environment("PORT", port)
			.log("first.log")
			.start(STARTUP_LIMIT)) {
			assertThat(HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(base + "/metadata")).build(), BodyHandlers.discarding())
				.statusCode()).isEqualTo(200);
			key = first.demoKey("demo-general\\s+hospital-system");
			patientId = client(base, key).create()
				.resource(CoreResources.PATIENT.create("smoke-1", null))
				.execute()
				.getId()
				.toUnqualifiedVersionless();
			assertThat(first.stop()).as("graceful shutdown exits cleanly").isIn(0, 143);
			firstLog = first.logText();
		}
		assertThat(firstLog).contains("Embedded PostgreSQL").contains("new data in");
		assertThat(firstLog).containsPattern("Started CrosswalkApplication in [0-9.]+ seconds");
		assertThat(this.workDir.resolve("data/postgres/PG_VERSION")).as("data lives in ./data/postgres").exists();

		String secondLog;
		try (CrosswalkJar second = CrosswalkJar.in(this.workDir)
			.environment("PORT", port)
			.log("second.log")
			.start(STARTUP_LIMIT)) {
			Patient patient = client(base, key).read().resource(Patient.class).withId(patientId).execute();
			assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("smoke-1");
			secondLog = second.logText();
		}
		assertThat(secondLog).contains("existing data in");
		assertThat(secondLog).as("demo keys are shown once, on the first start").doesNotContain("DEV ONLY");
	}

	private static IGenericClient client(String base, String key) {
		FhirContext fhir = FhirContext.forR4Cached();
		fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		IGenericClient client = fhir.newRestfulGenericClient(base);
		client.registerInterceptor(new BearerTokenAuthInterceptor(key));
		return client;
	}

}
