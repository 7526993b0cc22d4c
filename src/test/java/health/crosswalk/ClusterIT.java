package health.crosswalk;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import com.zaxxer.hikari.HikariDataSource;
import health.crosswalk.database.SchemaOwner;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.Role;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two Crosswalk nodes on one database: the test's server (node A) and the packaged jar
 * started beside it on the same PostgreSQL (node B), as behind the compose file's proxy.
 * What one node writes the other reads at once; a search's pages are followed on the
 * other node; one person fed to both nodes at once gets one UPI; a conditional create
 * finds on one node what the other stored; a resource deleted through one is gone on the
 * other at once; a key revoked through one is refused by the other once PostgreSQL
 * notifies it, and a count kept by one shows the other's write alike; and the audit trail
 * both write is sealed once, in one chain.
 */
class ClusterIT extends CrosswalkIntegrationTest {

	private static final String SSN = "http://hl7.org/fhir/sid/us-ssn";

	private static final String UPI = "https://fhir.crosswalk.health/sid/upi";

	private static CrosswalkJar nodeB;

	@BeforeEach
	void startNodeB() throws Exception {
		if (nodeB != null) {
			return;
		}
		HikariDataSource application = context().getBean(HikariDataSource.class);
		HikariDataSource owner = (HikariDataSource) context().getBean(SchemaOwner.class).dataSource();
		Path work = Files.createTempDirectory(Path.of("target"), "node-b");
		CrosswalkJar.Launch launch = CrosswalkJar.in(work)
			.jvmOptions(List.of("-Xmx1536m"))
			.log("node-b.log")
			.environment("CROSSWALK_DB_URL", application.getJdbcUrl())
			.environment("CROSSWALK_DB_USERNAME", application.getUsername())
			.environment("CROSSWALK_DB_PASSWORD", application.getPassword())
			.environment("CROSSWALK_HOSPITAL_DEMO_DATA", "never")
			// HAPI's job maintenance fires every second on both nodes, as on node A.
			.environment("CROSSWALK_BULK_JOB_STEP_INTERVAL", "1s")
			// Node B reads from a "replica": the same database, on sessions that cannot
			// write, so every test here also shows no write of node B goes there.
			.environment("CROSSWALK_DB_REPLICA_URL", application.getJdbcUrl());
		if (!owner.getUsername().equals(application.getUsername())) {
			launch.environment("CROSSWALK_DB_OWNER_USERNAME", owner.getUsername())
				.environment("CROSSWALK_DB_OWNER_PASSWORD", owner.getPassword());
		}
		nodeB = launch.start(Duration.ofMinutes(3));
	}

	@AfterAll
	static void stopNodeB() throws Exception {
		if (nodeB != null) {
			nodeB.close();
			nodeB = null;
		}
	}

	@Test
	void whatOneNodeWritesTheOtherReadsAtOnceAndPagesFollowAcrossNodes() {
		IGenericClient a = client();
		IGenericClient b = clientB(hospital().key());
		IIdType id = newPatient(a).getReferenceElement();

		Patient onB = b.read().resource(Patient.class).withId(id).execute();
		assertThat(onB.getMeta().getVersionId()).isEqualTo("1");
		onB.getNameFirstRep().setFamily(onB.getNameFirstRep().getFamily() + "x");
		b.update().resource(onB).execute();
		assertThat(a.read().resource(Patient.class).withId(id).execute().getMeta().getVersionId()).isEqualTo("2");

		String family = "Pager" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "q");
		for (int i = 0; i < 5; i++) {
			Patient patient = (Patient) CoreResources.PATIENT.create(unique("mrn"), null);
			patient.getNameFirstRep().setFamily(family);
			a.create().resource(patient).execute();
		}
		Bundle page = a.search()
			.forResource(Patient.class)
			.where(Patient.FAMILY.matchesExactly().value(family))
			.count(2)
			.returnBundle(Bundle.class)
			.execute();
		Set<String> seen = new HashSet<>();
		int pages = 0;
		while (true) {
			page.getEntry().forEach((entry) -> seen.add(entry.getResource().getIdElement().getIdPart()));
			pages++;
			if (page.getLink(Bundle.LINK_NEXT) == null) {
				break;
			}
			// Each next page from the other node than the last.
			IGenericClient next = (pages % 2 == 1) ? b : a;
			String url = page.getLink(Bundle.LINK_NEXT).getUrl();
			page.getLink(Bundle.LINK_NEXT).setUrl(url.replaceFirst("^https?://[^/]+/fhir", base(next)));
			page = next.loadPage().next(page).execute();
		}
		assertThat(pages).isEqualTo(3);
		assertThat(seen).hasSize(5);
	}

	@Test
	void hapisClusteredJobsRunOncePerIntervalBetweenBothNodes() throws Exception {
		JdbcTemplate jdbc = context().getBean(JdbcTemplate.class);
		String runs = "SELECT coalesce(sum(runs), 0) FROM crosswalk.scheduled_job_lease "
				+ "WHERE job LIKE '%JobMaintenanceServiceImpl%'";
		await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(runs, Long.class) > 0);
		long before = jdbc.queryForObject(runs, Long.class);
		long start = System.nanoTime();
		Thread.sleep(8000);
		long after = jdbc.queryForObject(runs, Long.class);
		double seconds = (System.nanoTime() - start) / 1e9;
		// Both nodes fire it every second: run on both, it would run about twice a second
		// (16 times); one node's burst after a long pass stays under the bound.
		assertThat(after - before).as("maintenance passes in %.1f s on two nodes", seconds)
			.isPositive()
			.isLessThanOrEqualTo((long) Math.ceil(1.5 * seconds) + 2);
	}

	@Test
	void onePersonFedToBothNodesAtOnceGetsOneUpi() throws Exception {
		TestHospital other = newHospital();
		IGenericClient a = client();
		IGenericClient b = clientB(other.key());
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 5; round++) {
				String ssn = String.format("%09d", Math.floorMod(System.nanoTime() * 31 + round, 1_000_000_000L));
				CountDownLatch start = new CountDownLatch(1);
				List<Future<String>> upis = new ArrayList<>();
				for (IGenericClient client : List.of(a, b)) {
					Patient patient = CoreResources.patient(CoreResources.identifier(unique("mrn")));
					patient.addIdentifier().setSystem(SSN).setValue(ssn);
					upis.add(threads.submit(() -> {
						start.await();
						IIdType id = client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
						return upi(client.read().resource(Patient.class).withId(id).execute());
					}));
				}
				start.countDown();
				assertThat(upis.get(0).get()).as("round " + round).isEqualTo(upis.get(1).get());
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void aResourceDeletedOnOneNodeIsGoneOnTheOtherAtOnceAndRevivedAlike() {
		IGenericClient a = client();
		IGenericClient b = clientB(hospital().key());
		IIdType id = newPatient(a).getReferenceElement();
		// Node B now holds the Patient's identity in its cache.
		assertThat(b.read().resource(Patient.class).withId(id).execute().getIdElement().getIdPart())
			.isEqualTo(id.getIdPart());

		a.delete().resourceById(id).execute();
		assertThatExceptionOfType(ResourceGoneException.class)
			.isThrownBy(() -> b.read().resource(Patient.class).withId(id).execute());
		assertThatExceptionOfType(InvalidRequestException.class)
			.as("a new reference to the deleted Patient, on the node that cached it alive")
			.isThrownBy(() -> b.create()
				.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), new Reference(id),
						"8867-4", new Date()))
				.execute());

		DomainResource revived = CoreResources.PATIENT.create(unique("mrn"), null);
		revived.setId(id);
		a.update().resource(revived).execute();
		assertThat(b.read().resource(Patient.class).withId(id).execute().getMeta().getVersionId()).isEqualTo("3");
	}

	@Test
	void aConditionalCreateFindsWhatTheOtherNodeStored() {
		Identifier mrn = CoreResources.identifier(unique("mrn"));
		String match = "Patient?identifier=" + mrn.getSystem() + "|" + mrn.getValue();
		MethodOutcome first = client().create()
			.resource(CoreResources.patient(mrn.copy()))
			.conditionalByUrl(match)
			.execute();
		MethodOutcome again = clientB(hospital().key()).create()
			.resource(CoreResources.patient(mrn.copy()))
			.conditionalByUrl(match)
			.execute();

		assertThat(first.getCreated()).isTrue();
		assertThat(again.getCreated()).as("node B finds node A's record").isNotEqualTo(Boolean.TRUE);
		assertThat(again.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
	}

	@Test
	void aCountAndAPageKeptOnOneNodeShowTheOtherNodesWriteOnceNotified() {
		TestHospital hospital = newHospital();
		IGenericClient a = client(hospital.key());
		IGenericClient b = clientB(hospital.key());
		Reference patient = newPatient(a);
		a.create()
			.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), patient, "8867-4", new Date()))
			.execute();
		String count = "Observation?code=http://loinc.org|8867-4&_summary=count";
		String page = "Observation?patient=" + patient.getReferenceElement().getIdPart() + "&_sort=-date";
		assertThat(a.search().byUrl(count).returnBundle(Bundle.class).execute().getTotal()).isEqualTo(1);
		assertThat(a.search().byUrl(page).returnBundle(Bundle.class).execute().getEntry()).hasSize(1);
		// Node A keeps both; node B's write reaches it through PostgreSQL.
		b.create()
			.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), patient, "8867-4", new Date()))
			.execute();
		await().atMost(Duration.ofSeconds(2))
			.until(() -> a.search().byUrl(count).returnBundle(Bundle.class).execute().getTotal() == 2);
		await().atMost(Duration.ofSeconds(2))
			.until(() -> a.search().byUrl(page).returnBundle(Bundle.class).execute().getEntry().size() == 2);
	}

	@Test
	void aKeyRevokedThroughOneNodeIsRefusedByTheOtherOnceNotified() {
		String key = TestHospitals.hospitalKey(context(), hospital().slug(), Role.CLINICIAN);
		FhirHttp onA = new FhirHttp(serverUrl());
		FhirHttp onB = new FhirHttp("http://localhost:" + nodeB.port());
		assertThat(onB.get("/fhir/Patient?_count=1", key).statusCode()).isEqualTo(200);

		String keyId = key.split("_")[1];
		HttpResponse<String> revoked = onA.send("DELETE", "/admin/keys/" + keyId,
				TestHospitals.networkKey(context(), Role.ADMIN), null, null);
		assertThat(revoked.statusCode()).as(revoked.body()).isBetween(200, 204);

		assertThat(onA.get("/fhir/Patient?_count=1", key).statusCode()).isEqualTo(401);
		// Node B hears of it through the notification PostgreSQL sends at its commit.
		await().atMost(Duration.ofSeconds(2)).until(() -> onB.get("/fhir/Patient?_count=1", key).statusCode() == 401);
	}

	@Test
	void theAuditTrailOfBothNodesIsSealedOnceInOneChain() {
		IGenericClient b = clientB(hospital().key());
		for (int i = 0; i < 20; i++) {
			client().search().forResource(Patient.class).count(1).returnBundle(Bundle.class).execute();
			b.search().forResource(Patient.class).count(1).returnBundle(Bundle.class).execute();
		}
		JdbcTemplate jdbc = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		long last = jdbc.queryForObject("SELECT max(seq) FROM crosswalk.audit_event", Long.class);
		// Both nodes' sealers run every second; each record is sealed by one of them.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.queryForObject(
					"SELECT count(*) FROM crosswalk.audit_event e WHERE e.seq <= ? "
							+ "AND NOT EXISTS (SELECT 1 FROM crosswalk.audit_seal s WHERE s.event_id = e.id)",
					Long.class, last) == 0);
		Map<String, Object> seals = jdbc.queryForMap("SELECT count(*) AS links, count(DISTINCT position) AS positions, "
				+ "max(position) AS last, count(DISTINCT event_id) AS events FROM crosswalk.audit_seal");
		assertThat(((Number) seals.get("positions")).longValue()).isEqualTo(((Number) seals.get("links")).longValue())
			.isEqualTo(((Number) seals.get("last")).longValue())
			.as("one link per record")
			.isEqualTo(((Number) seals.get("events")).longValue());
	}

	@Test
	void anExportStartedOnOneNodeIsFollowedAndReadOnTheOtherWithEachRecordOnce() throws Exception {
		TestHospital exporter = newHospital();
		IGenericClient a = client(exporter.key());
		Set<String> patients = new HashSet<>();
		for (int i = 0; i < 3; i++) {
			patients.add(a.create()
				.resource(CoreResources.patient(CoreResources.identifier(unique("mrn"))))
				.execute()
				.getId()
				.getIdPart());
		}
		FhirHttp onA = new FhirHttp(serverUrl());
		FhirHttp onB = new FhirHttp("http://localhost:" + nodeB.port());
		HttpResponse<String> kickOff = onA.send("GET", "/fhir/Patient/$export?_type=Patient", exporter.key(), null,
				null, "Prefer", "respond-async");
		assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
		java.net.URI status = java.net.URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());

		// Both nodes run HAPI's job maintenance; the job's work is claimed in the
		// database, so its file holds each patient once.
		List<HttpResponse<String>> done = new ArrayList<>();
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> response = onB.get(status.getRawPath() + "?" + status.getRawQuery(), exporter.key());
			if (response.statusCode() == 202) {
				return false;
			}
			done.add(response);
			return true;
		});
		assertThat(done.get(0).statusCode()).as(done.get(0).body()).isEqualTo(200);
		List<String> exported = new ArrayList<>();
		for (com.fasterxml.jackson.databind.JsonNode output : new com.fasterxml.jackson.databind.ObjectMapper()
			.readTree(done.get(0).body())
			.get("output")) {
			String file = java.net.URI.create(output.get("url").asText()).getRawPath();
			HttpResponse<String> ndjson = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create("http://localhost:" + nodeB.port() + file))
					.header("Accept", "application/fhir+ndjson")
					.header("Authorization", "Bearer " + exporter.key())
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(200);
			ndjson.body()
				.lines()
				.filter((line) -> !line.isBlank())
				.forEach((line) -> exported.add(FHIR.newJsonParser().parseResource(line).getIdElement().getIdPart()));
		}
		assertThat(exported).containsExactlyInAnyOrderElementsOf(patients);
	}

	@Test
	void nodeBAnswersReadsAndSearchesFromItsReplicaAndEverythingElseFromThePrimary() throws Exception {
		String monitor = TestHospitals.networkKey(context(), Role.MONITOR);
		IGenericClient b = clientB(hospital().key());
		long start = replicaUses(monitor);

		IIdType id = b.create()
			.resource(CoreResources.PATIENT.create(unique("mrn"), null))
			.execute()
			.getId()
			.toUnqualifiedVersionless();
		assertThat(replicaUses(monitor)).as("a write takes no replica connection").isEqualTo(start);
		FhirHttp onB = new FhirHttp("http://localhost:" + nodeB.port());
		assertThat(onB
			.send("GET", "/fhir/Patient/" + id.getIdPart(), hospital().key(), null, null, "Cache-Control", "no-cache")
			.statusCode()).isEqualTo(200);
		assertThat(replicaUses(monitor)).as("no-cache reads the primary").isEqualTo(start);

		b.read().resource(Patient.class).withId(id).execute();
		assertThat(replicaUses(monitor)).as("Patient (links, sharing) reads the primary").isEqualTo(start);
		IIdType observation = b.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), new org.hl7.fhir.r4.model.Reference(id)))
			.execute()
			.getId()
			.toUnqualifiedVersionless();
		assertThat(replicaUses(monitor)).isEqualTo(start);

		b.read().resource(org.hl7.fhir.r4.model.Observation.class).withId(observation).execute();
		long afterRead = replicaUses(monitor);
		assertThat(afterRead).as("a read takes the replica's").isGreaterThan(start);
		b.search().forResource(org.hl7.fhir.r4.model.Observation.class).count(1).returnBundle(Bundle.class).execute();
		assertThat(replicaUses(monitor)).as("so does an offset-paged search").isGreaterThan(afterRead);
	}

	/** Connections node B's replica pool has handed out and taken back. */
	private static long replicaUses(String monitor) {
		HttpResponse<String> metrics;
		try {
			metrics = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create("http://localhost:" + nodeB.port() + "/actuator/prometheus"))
					.header("Authorization", "Bearer " + monitor)
					.header("Accept", "text/plain")
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		assertThat(metrics.statusCode()).isEqualTo(200);
		return metrics.body()
			.lines()
			.filter((line) -> line.startsWith("hikaricp_connections_usage_seconds_count{")
					&& line.contains("pool=\"crosswalk-replica\""))
			.mapToLong((line) -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private IGenericClient clientB(String key) {
		FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		IGenericClient client = FHIR.newRestfulGenericClient("http://localhost:" + nodeB.port() + "/fhir");
		client.registerInterceptor(new BearerTokenAuthInterceptor(key));
		return client;
	}

	private static String base(IGenericClient client) {
		return client.getServerBase().replaceFirst("/$", "");
	}

	private static String upi(Patient patient) {
		return patient.getIdentifier()
			.stream()
			.filter((identifier) -> UPI.equals(identifier.getSystem()))
			.map(Identifier::getValue)
			.findFirst()
			.orElseThrow(() -> new AssertionError("Patient/" + patient.getIdPart() + " carries no UPI"));
	}

}
