package health.crosswalk.audit;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.database.SchemaOwner;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.security.Role;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.persistence.EntityManagerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The audit trail holds under pressure: concurrent requests are all recorded, a write
 * killed half-way leaves a failure record and no success, the table refuses changes, and
 * {@code $verify} names a record altered or deleted behind the server's back.
 */
class AuditChainIT extends CrosswalkIntegrationTest {

	private FhirHttp http;

	private String auditor;

	private AuditClient audits;

	private JdbcTemplate jdbc;

	@BeforeEach
	void setUp() {
		this.http = new FhirHttp(serverUrl());
		this.auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		this.audits = new AuditClient(this.http, this.auditor);
		this.jdbc = context().getBean(JdbcTemplate.class);
	}

	@Test
	void concurrentReadsAreAllRecordedBeforeTheirResponses() throws Exception {
		Reference patient = newPatient(client());
		String path = "/fhir/" + patient.getReference();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<String>> calls = new ArrayList<>();
			for (int i = 0; i < 80; i++) {
				calls.add(pool.submit(() -> this.audits.call("GET", path, hospital().key(), null, 200)));
			}
			for (Future<String> call : calls) {
				// Each record is searchable as soon as its response has arrived.
				assertThat(this.audits.events(call.get())).hasSize(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.audits.search("entity=" + patient.getReference() + "&subtype=read&_count=200")).hasSize(80);
	}

	@Test
	void aWriteKilledHalfWayLeavesAFailureRecordAndNoSuccess() {
		String family = "Killed" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		IInterceptorService interceptors = context().getBean(IInterceptorService.class);
		Object killer = new ConnectionKiller(this.jdbc, family);
		interceptors.registerInterceptor(killer);
		String requestId;
		try {
			requestId = this.audits.call("POST", "/fhir/Patient", hospital().key(),
					CoreResources.patientJson(family, ""), 503);
		}
		finally {
			interceptors.unregisterInterceptor(killer);
		}
		List<AuditEvent> events = this.audits.events(requestId);
		assertThat(events).singleElement().satisfies((event) -> {
			assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("create");
			assertThat(event.getOutcome().toCode()).isEqualTo("8");
		});
		HttpResponse<String> written = this.http.get("/fhir/Patient?family=" + family, hospital().key());
		assertThat(FHIR.newJsonParser().parseResource(Bundle.class, written.body()).getEntry()).isEmpty();
	}

	@Test
	void theTableRefusesChangesFromTheApplication() {
		String requestId = this.audits.call("GET", "/fhir/Patient?family=" + unique("x"), hospital().key(), null, 200);
		String id = this.audits.events(requestId).get(0).getIdPart();
		// The application role lacks the privileges (or, connected as the schema's owner,
		// meets the trigger); the owner gave its own privileges up (V10, V11), and a
		// superuser owner, such as the embedded database's, meets the trigger.
		for (JdbcTemplate role : List.of(this.jdbc, owner())) {
			String refused = "(?s).*(append-only|permission denied).*";
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> role.update("UPDATE crosswalk.audit_event SET outcome = 0 WHERE id = ?::uuid", id))
				.havingRootCause()
				.withMessageMatching(refused);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> role.update("DELETE FROM crosswalk.audit_event WHERE id = ?::uuid", id))
				.havingRootCause()
				.withMessageMatching(refused);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> role.execute("TRUNCATE crosswalk.audit_seal"))
				.havingRootCause()
				.withMessageMatching(refused);
		}
		assertThat(this.audits.events(requestId)).hasSize(1);
	}

	@Test
	void verifyNamesTheRecordAlteredOrDeletedInSql() {
		Instant from = nextMillisecond();
		this.audits.call("GET", "/fhir/Patient?family=" + unique("a"), hospital().key(), null, 200);
		String second = this.audits.call("GET", "/fhir/Patient?family=" + unique("b"), hospital().key(), null, 200);
		Instant beforeThird = nextMillisecond();
		String third = this.audits.call("GET", "/fhir/Patient?family=" + unique("c"), hospital().key(), null, 200);
		Parameters intact = verify(from, null);
		assertThat(intact.getParameter("result").getValue().primitiveValue()).isEqualTo("intact");
		assertThat(Long.parseLong(intact.getParameter("checked").getValue().primitiveValue()))
			.isGreaterThanOrEqualTo(3);
		assertThat(intact.getParameter("unsealed").getValue().primitiveValue()).as("every committed record is sealed")
			.isEqualTo("0");

		Instant beforeFourth = nextMillisecond();
		String fourth = this.audits.call("GET", "/fhir/Patient?family=" + unique("d"), hospital().key(), null, 200);
		verify(from, null);

		// Rewritten in plain text (the form of records older than the dictionary),
		// with another outcome.
		AuditEvent alteredEvent = this.audits.events(second).get(0);
		String altered = alteredEvent.getIdPart();
		String rewritten = FHIR.newJsonParser()
			.encodeResourceToString(alteredEvent.setOutcome(AuditEvent.AuditEventOutcome._4));
		behindTheServersBack("UPDATE crosswalk.audit_event SET resource = '" + rewritten.replace("'", "''")
				+ "', resource_deflated = NULL, resource_dictionary = NULL WHERE id = '" + altered + "'");
		Parameters broken = verify(from, null);
		assertThat(broken.getParameter("result").getValue().primitiveValue()).isEqualTo("broken");
		assertThat(part(broken.getParameter("broken"), "event")).isEqualTo("AuditEvent/" + altered);
		assertThat(part(broken.getParameter("broken"), "reason")).isEqualTo("the record was altered");

		String deleted = this.audits.events(third).get(0).getIdPart();
		behindTheServersBack("DELETE FROM crosswalk.audit_event WHERE id = '" + deleted + "'");
		Parameters gone = verify(beforeThird, null);
		assertThat(part(gone.getParameter("broken"), "event")).isEqualTo("AuditEvent/" + deleted);
		assertThat(part(gone.getParameter("broken"), "reason")).isEqualTo("the record was deleted");

		// A byte of the stored, compressed text changed: it no longer reads back.
		String garbled = this.audits.events(fourth).get(0).getIdPart();
		behindTheServersBack("UPDATE crosswalk.audit_event SET resource_deflated = set_byte(resource_deflated, 40, "
				+ "get_byte(resource_deflated, 40) # 1) WHERE id = '" + garbled + "'");
		Parameters unreadable = verify(beforeFourth, null);
		assertThat(part(unreadable.getParameter("broken"), "event")).isEqualTo("AuditEvent/" + garbled);
		assertThat(part(unreadable.getParameter("broken"), "reason")).isEqualTo("the record was altered");
	}

	@Test
	void aRecordMadeWithADictionaryAddedSinceStartIsRead() {
		String requestId = this.audits.call("GET", "/fhir/Patient?family=" + unique("n"), hospital().key(), null, 200);
		AuditEvent event = this.audits.events(requestId).get(0);
		String original = event.getIdPart();
		// As a newer server's migration would add it during a rolling upgrade (the same
		// text under the next id), and that server write with it.
		JdbcTemplate owner = owner();
		int added = owner.queryForObject("INSERT INTO crosswalk.audit_dictionary (id, dictionary) SELECT "
				+ "(SELECT max(id) + 1 FROM crosswalk.audit_dictionary), dictionary FROM crosswalk.audit_dictionary "
				+ "WHERE id = 1 RETURNING id", Integer.class);
		byte[] dictionary = owner.queryForObject("SELECT dictionary FROM crosswalk.audit_dictionary WHERE id = ?",
				byte[].class, added);
		String id = UUID.randomUUID().toString();
		String newerRequest = FhirHttp.requestId("newer");
		byte[] stored = AuditText.compress(
				FHIR.newJsonParser().encodeResourceToString(event.setId(id)).getBytes(StandardCharsets.UTF_8),
				new AuditText.Dictionary(dictionary));
		owner.update("INSERT INTO crosswalk.audit_event (id, recorded, type, subtypes, action, outcome, agents, "
				+ "entities, source, request_id, resource_deflated, resource_dictionary) SELECT ?::uuid, "
				+ "date_trunc('milliseconds', now()), type, subtypes, action, outcome, agents, entities, source, ?, ?, ? "
				+ "FROM crosswalk.audit_event WHERE id = ?::uuid", id, newerRequest, stored, added, original);
		assertThat(this.audits.events(newerRequest)).singleElement()
			.satisfies((newer) -> assertThat(newer.getIdPart()).isEqualTo(id));
	}

	@Test
	void aRecordStoredAsAZlibStreamIsReadAndVerified() {
		String requestId = this.audits.call("GET", "/fhir/Patient?family=" + unique("z"), hospital().key(), null, 200);
		AuditEvent event = this.audits.events(requestId).get(0);
		assertThat(owner().queryForObject("SELECT substring(resource_deflated FROM 1 FOR 4) = '\\x28b52ffd'::bytea "
				+ "FROM crosswalk.audit_event WHERE id = ?::uuid", Boolean.class, event.getIdPart()))
			.as("a new record is stored as a zstd frame")
			.isTrue();

		// As an earlier server stored it: a zlib stream, same dictionary.
		Copy copy = copyOf(event, "zlib");
		JdbcTemplate owner = owner();
		byte[] dictionary = owner
			.queryForObject("SELECT dictionary FROM crosswalk.audit_dictionary WHERE id = (SELECT resource_dictionary "
					+ "FROM crosswalk.audit_event WHERE id = ?::uuid)", byte[].class, copy.original());
		byte[] stream = AuditTextTest.zlib(
				FHIR.newJsonParser().encodeResourceToString(event.setId(copy.id())).getBytes(StandardCharsets.UTF_8),
				dictionary);
		assertThat(owner.update("INSERT INTO crosswalk.audit_event (id, recorded, type, subtypes, action, outcome, "
				+ "agents, entities, source, request_id, resource_deflated, resource_dictionary) SELECT ?::uuid, "
				+ "date_trunc('milliseconds', now()), type, subtypes, action, outcome, agents, entities, source, ?, ?, "
				+ "resource_dictionary FROM crosswalk.audit_event WHERE id = ?::uuid", copy.id(), copy.requestId(),
				stream, copy.original()))
			.isOne();
		assertReadAndIntact(copy);
	}

	@Test
	void recordsStoredBeforeTheDictionaryAreStillReadAndVerified() {
		String requestId = this.audits.call("GET", "/fhir/Patient?family=" + unique("p"), hospital().key(), null, 200);
		AuditEvent event = this.audits.events(requestId).get(0);
		assertThat(owner().queryForObject(
				"SELECT resource IS NULL AND length(resource_deflated) * 5 < ? "
						+ "FROM crosswalk.audit_event WHERE id = ?::uuid",
				Boolean.class, FHIR.newJsonParser().encodeResourceToString(event).length(), event.getIdPart()))
			.as("a new record is stored compressed, in under a fifth of its size")
			.isTrue();

		// The same record as a server before V22 stored it: its JSON as text.
		Copy copy = copyOf(event, "legacy");
		String json = FHIR.newJsonParser().encodeResourceToString(event.setId(copy.id()));
		assertThat(owner().update("INSERT INTO crosswalk.audit_event (id, recorded, type, subtypes, action, outcome, "
				+ "agents, entities, source, request_id, resource) SELECT ?::uuid, date_trunc('milliseconds', now()), type, subtypes, action, "
				+ "outcome, agents, entities, source, ?, ? FROM crosswalk.audit_event WHERE id = ?::uuid", copy.id(),
				copy.requestId(), json, copy.original()))
			.isOne();
		assertReadAndIntact(copy);
	}

	/**
	 * A copy of a record that a test stores behind the server's back: the record copied,
	 * the copy's id and request id, and a time before it.
	 */
	private record Copy(String original, String id, String requestId, Instant from) {
	}

	private Copy copyOf(AuditEvent event, String requestName) {
		Instant from = nextMillisecond();
		return new Copy(event.getIdPart(), UUID.randomUUID().toString(), FhirHttp.requestId(requestName), from);
	}

	/**
	 * The copy is read through the API, and the chain since before it verifies intact.
	 */
	private void assertReadAndIntact(Copy copy) {
		assertThat(this.audits.events(copy.requestId())).singleElement()
			.satisfies((stored) -> assertThat(stored.getIdPart()).isEqualTo(copy.id()));
		Parameters intact = verify(copy.from(), null);
		assertThat(intact.getParameter("result").getValue().primitiveValue())
			.as(() -> FHIR.newJsonParser().encodeResourceToString(intact))
			.isEqualTo("intact");
		assertThat(Long.parseLong(intact.getParameter("checked").getValue().primitiveValue())).isPositive();
	}

	@Test
	void sealingGoesOnWhileAWriteTransactionStaysOpen() throws Exception {
		String family = "Slow" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		IInterceptorService interceptors = context().getBean(IInterceptorService.class);
		TransactionHolder holder = new TransactionHolder(family, context().getBean(EntityManagerFactory.class));
		interceptors.registerInterceptor(holder);
		ExecutorService writer = Executors.newSingleThreadExecutor();
		try {
			Instant from = nextMillisecond();
			Future<String> slowWrite = writer.submit(() -> this.audits.call("POST", "/fhir/Patient", hospital().key(),
					CoreResources.patientJson(family, ""), 201));
			assertThat(holder.entered.await(60, TimeUnit.SECONDS)).as("the write reached its commit").isTrue();
			assertThat(this.jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
					+ "AND state = 'idle in transaction'", Long.class))
				.as("the open write holds a transaction id")
				.isPositive();

			// The write's transaction holds the oldest transaction id; reads after it are
			// sealed all the same.
			String read = this.audits.call("GET", "/fhir/Patient?family=" + unique("r"), hospital().key(), null, 200);
			Parameters meanwhile = verify(from, null);
			assertThat(meanwhile.getParameter("result").getValue().primitiveValue()).isEqualTo("intact");
			assertThat(meanwhile.getParameter("unsealed").getValue().primitiveValue()).isEqualTo("0");
			Long readPosition = sealPosition(this.audits.single(read).getIdPart());
			assertThat(readPosition).as("the read is sealed while the write is open").isNotNull();

			holder.release.countDown();
			String write = slowWrite.get(60, TimeUnit.SECONDS);
			Parameters after = verify(from, null);
			assertThat(after.getParameter("result").getValue().primitiveValue()).isEqualTo("intact");
			assertThat(sealPosition(this.audits.single(write).getIdPart()))
				.as("the write is sealed once it commits, after what committed before it")
				.isGreaterThan(readPosition);
		}
		finally {
			holder.release.countDown();
			interceptors.unregisterInterceptor(holder);
			writer.shutdownNow();
		}
	}

	@Test
	void verifyWaitsForASealerAtWorkInsteadOfCountingItsRecordsUnsealed() throws Exception {
		Instant from = nextMillisecond();
		ExecutorService asker = Executors.newSingleThreadExecutor();
		try (java.sql.Connection sealer = context().getBean(javax.sql.DataSource.class).getConnection()) {
			sealer.setAutoCommit(false);
			// Another sealer (the background pass, or another server's) holds the chain.
			try (var lock = sealer.prepareStatement("SELECT true FROM (SELECT pg_advisory_xact_lock(?)) taken")) {
				lock.setLong(1, AuditChain.SEAL_LOCK);
				lock.executeQuery().close();
			}
			this.audits.call("GET", "/fhir/Patient?family=" + unique("w"), hospital().key(), null, 200);
			Future<Parameters> verdict = asker.submit(() -> verify(from, null));
			Thread.sleep(500);
			assertThat(verdict).as("$verify waits for the sealer at work").isNotDone();
			sealer.commit();
			Parameters answer = verdict.get(60, TimeUnit.SECONDS);
			assertThat(answer.getParameter("result").getValue().primitiveValue()).isEqualTo("intact");
			assertThat(answer.getParameter("unsealed").getValue().primitiveValue()).isEqualTo("0");
		}
		finally {
			asker.shutdownNow();
		}
	}

	@Test
	void theExportedHeadIsCheckedAgainstTheChain() {
		this.audits.call("GET", "/fhir/Patient?family=" + unique("h"), hospital().key(), null, 200);
		Parameters head = operation("$chain-head");
		ParametersParameterComponent part = head.getParameter("head");
		String position = part(part, "position");
		String hash = part(part, "hash");
		assertThat(hash).matches("[0-9a-f]{64}");
		Parameters same = verify(Instant.now(), null, position, hash);
		assertThat(same.getParameter("broken")).isNull();
		String forged = (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1);
		Parameters different = verify(Instant.now(), null, position, forged);
		assertThat(part(different.getParameter("broken"), "reason"))
			.isEqualTo("the chain differs from the exported head");
	}

	@Test
	void commandLineCommandsAreRecorded() {
		String slug = "cli-" + UUID.randomUUID().toString().substring(0, 8);
		CommandLineRecorder recorder = new CommandLineRecorder(AuditConfiguration.eventFactory(FHIR,
				context().getBean(health.crosswalk.security.HospitalDirectory.class),
				context().getBean(AuditProperties.class)), context().getBean(AuditStore.class));
		recorder.commandRun(new health.crosswalk.hospital.CommandRun("hospital create --slug " + slug + " --name CLI",
				0, slug + "  CLI  [active]"));
		List<AuditEvent> events = this.audits.search("subtype="
				+ java.net.URLEncoder.encode("command line: hospital create", java.nio.charset.StandardCharsets.UTF_8)
				+ "&_count=200");
		assertThat(events).anySatisfy((event) -> {
			assertThat(event.getType().getCode()).isEqualTo("admin");
			assertThat(event.getAction().toCode()).isEqualTo("C");
			assertThat(event.getEntityFirstRep().getDescription()).contains(slug);
			assertThat(event.getAgentFirstRep().getWho().getDisplay()).startsWith("command line");
		});
	}

	private Long sealPosition(String eventId) {
		List<Long> positions = this.jdbc
			.queryForList("SELECT position FROM crosswalk.audit_seal WHERE event_id = ?::uuid", Long.class, eventId);
		return positions.isEmpty() ? null : positions.get(0);
	}

	private JdbcTemplate owner() {
		return new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
	}

	private void behindTheServersBack(String sql) {
		JdbcTemplate owner = owner();
		Boolean superuser = owner.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
				Boolean.class);
		assumeThat(superuser).as("altering the trail needs a superuser, as an attacker with database access").isTrue();
		owner.execute((ConnectionCallback<Void>) (connection) -> {
			try (var statement = connection.createStatement()) {
				statement.execute("SET session_replication_role = replica");
				statement.execute(sql);
				statement.execute("SET session_replication_role = origin");
			}
			return null;
		});
	}

	/**
	 * The next millisecond, once the clock has passed it. {@code $verify} takes its
	 * period to the millisecond (a FHIR dateTime) and records are stamped to the
	 * millisecond, so a bound taken mid-millisecond would let in a record stamped earlier
	 * in that millisecond: the one just before the bound.
	 */
	private static Instant nextMillisecond() {
		Instant next = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
		while (Instant.now().isBefore(next)) {
			Thread.onSpinWait();
		}
		return next;
	}

	private Parameters verify(Instant from, Instant to) {
		return verify(from, to, null, null);
	}

	private Parameters verify(Instant from, Instant to, String position, String hash) {
		StringBuilder query = new StringBuilder("$verify?");
		if (from != null) {
			query.append("from=").append(from).append('&');
		}
		if (to != null) {
			query.append("to=").append(to).append('&');
		}
		if (position != null) {
			query.append("anchor-position=").append(position).append("&anchor-hash=").append(hash);
		}
		return operation(query.toString());
	}

	private Parameters operation(String operation) {
		HttpResponse<String> response = this.http.get("/fhir/AuditEvent/" + operation, this.auditor);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return FHIR.newJsonParser().parseResource(Parameters.class, response.body());
	}

	private static String part(ParametersParameterComponent parameter, String name) {
		return parameter.getPart()
			.stream()
			.filter((part) -> name.equals(part.getName()))
			.map((part) -> (part.getValue() instanceof Reference reference) ? reference.getReference()
					: part.getValue().primitiveValue())
			.findFirst()
			.orElse(null);
	}

	/**
	 * Holds a write's transaction open at its commit until released, as a slow client
	 * transaction would.
	 */
	@Interceptor
	static final class TransactionHolder {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private final String family;

		private final EntityManagerFactory entityManagers;

		TransactionHolder(String family, EntityManagerFactory entityManagers) {
			this.family = family;
			this.entityManagers = entityManagers;
		}

		@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
		void created(IBaseResource resource) throws InterruptedException {
			if (resource instanceof Patient patient && this.family.equals(patient.getNameFirstRep().getFamily())) {
				// The write's own transaction takes its id now,
				// as any write does by commit.
				EntityManagerFactoryUtils.getTransactionalEntityManager(this.entityManagers)
					.createNativeQuery("SELECT pg_current_xact_id()::text")
					.getSingleResult();
				this.entered.countDown();
				this.release.await(60, TimeUnit.SECONDS);
			}
		}

	}

	/**
	 * Terminates the database session of a write half-way, as a crash of the database
	 * connection would.
	 */
	@Interceptor
	static final class ConnectionKiller {

		private final JdbcTemplate jdbc;

		private final String family;

		ConnectionKiller(JdbcTemplate jdbc, String family) {
			this.jdbc = jdbc;
			this.family = family;
		}

		@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
		void created(IBaseResource resource) {
			if (resource instanceof Patient patient && this.family.equals(patient.getNameFirstRep().getFamily())) {
				this.jdbc.execute("SELECT pg_terminate_backend(pg_backend_pid())");
			}
		}

	}

}
