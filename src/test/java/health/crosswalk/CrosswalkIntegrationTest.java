package health.crosswalk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Reference;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every integration test: the whole server on a random port, on real PostgreSQL.
 * All subclasses share one Spring context and one database; tests isolate themselves with
 * fresh identifiers, never by wiping data.
 *
 * <p>
 * The database is a fresh embedded PostgreSQL under {@code target/}, or the external one
 * named by {@code CROSSWALK_TEST_DB_URL} (with {@code CROSSWALK_TEST_DB_USERNAME} and
 * {@code CROSSWALK_TEST_DB_PASSWORD}).
 */
@SpringBootTest(classes = CrosswalkApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Metrics are exported as in production (Spring Boot's tests turn the Prometheus
// registry off otherwise); tracing is not used.
@AutoConfigureObservability(tracing = false)
public abstract class CrosswalkIntegrationTest {

	protected static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final Path EMBEDDED_DATA_DIR = Path.of("target", "it-postgres");

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	private TestHospital hospital;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = System.getenv("CROSSWALK_TEST_DB_URL");
		if (url != null && !url.isBlank()) {
			registry.add("crosswalk.db.url", () -> url);
			registry.add("crosswalk.db.username", () -> System.getenv("CROSSWALK_TEST_DB_USERNAME"));
			registry.add("crosswalk.db.password", () -> System.getenv("CROSSWALK_TEST_DB_PASSWORD"));
		}
		else {
			registry.add("crosswalk.db.url", () -> "");
			registry.add("crosswalk.db.embedded.data-dir", CrosswalkIntegrationTest::freshEmbeddedDataDir);
		}
		registry.add("crosswalk.hospital.demo-data", () -> "never");
		// Small enough for the limits test to exceed cheaply; larger than any test body.
		registry.add("crosswalk.limits.max-body-size", () -> "4MB");
		// Exports step on every second, not every five.
		registry.add("crosswalk.bulk.job-step-interval", () -> "1s");
		// $import may fetch the files this test server serves.
		registry.add("crosswalk.import.allowed-urls", () -> TestFileServer.get().base());
		registry.add("crosswalk.security.jwt.issuer", () -> TestIdentityProvider.ISSUER);
		registry.add("crosswalk.security.jwt.audience", () -> TestIdentityProvider.AUDIENCE);
		registry.add("crosswalk.security.jwt.jwk-set-uri", () -> TestIdentityProvider.get().jwkSetUri());
		registry.add("crosswalk.security.smart.token-endpoint", () -> TestIdentityProvider.ISSUER + "/token");
	}

	private static synchronized String freshEmbeddedDataDir() {
		if (!Boolean.getBoolean("crosswalk.it.data-dir-ready")) {
			deleteRecursively(EMBEDDED_DATA_DIR);
			System.setProperty("crosswalk.it.data-dir-ready", "true");
		}
		return EMBEDDED_DATA_DIR.toAbsolutePath().toString();
	}

	private static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot clear " + dir, ex);
		}
	}

	protected String serverUrl() {
		return "http://localhost:" + this.port;
	}

	protected String fhirBaseUrl() {
		return serverUrl() + "/fhir";
	}

	/**
	 * This test's own hospital, registered on first use, with a hospital-system key.
	 */
	protected TestHospital hospital() {
		if (this.hospital == null) {
			this.hospital = newHospital();
		}
		return this.hospital;
	}

	/**
	 * Another new hospital.
	 */
	protected TestHospital newHospital() {
		return TestHospitals.register(this.context);
	}

	protected ApplicationContext context() {
		return this.context;
	}

	/**
	 * A FHIR client acting as this test's hospital's EHR.
	 */
	protected IGenericClient client() {
		return client(hospital().key());
	}

	/**
	 * A FHIR client sending the given bearer token (API key or JWT); null sends none.
	 */
	protected IGenericClient client(String bearer) {
		FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		// Whole Synthea patient bundles take longer than the client's default 10 s.
		FHIR.getRestfulClientFactory().setSocketTimeout(120_000);
		IGenericClient client = FHIR.newRestfulGenericClient(fhirBaseUrl());
		if (bearer != null) {
			client.registerInterceptor(new BearerTokenAuthInterceptor(bearer));
		}
		return client;
	}

	/**
	 * A new Patient with a fresh MRN, as a reference for resources about it.
	 */
	protected Reference newPatient(IGenericClient client) {
		IIdType id = client.create()
			.resource(CoreResources.PATIENT.create(unique("mrn"), null))
			.execute()
			.getId()
			.toUnqualifiedVersionless();
		return new Reference(id.getValue());
	}

	/**
	 * A new Observation about a patient, with a fresh identifier.
	 * @return its id
	 */
	protected String newObservation(IGenericClient client, Reference patient) {
		return client.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), patient))
			.execute()
			.getId()
			.getIdPart();
	}

	/**
	 * A value no other test has used, for identifiers and names.
	 */
	protected static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

}
