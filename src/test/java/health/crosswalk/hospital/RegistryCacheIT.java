package health.crosswalk.hospital;

import java.time.Duration;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.database.SchemaOwner;
import health.crosswalk.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server keeps API keys and hospitals in memory while PostgreSQL tells it of every
 * change to them: a key is read once, a change made by another session (here the schema
 * owner's plain SQL, as an operator or another server would) is seen as soon as its
 * notification arrives, and a server that stops hearing reads the database each time.
 */
class RegistryCacheIT extends CrosswalkIntegrationTest {

	private static final Duration NOTIFIED = Duration.ofSeconds(2);

	private FhirHttp http;

	private JdbcTemplate owner;

	private RegistryCache cache;

	@BeforeEach
	void listening() {
		this.http = new FhirHttp(serverUrl());
		this.owner = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		this.cache = context().getBean(RegistryCache.class);
		await().atMost(Duration.ofSeconds(15)).until(this.cache::isListening);
	}

	@Test
	void aKeyIsReadOnceAndAgainWhenTheRegistryNotifiesAChange() {
		String key = TestHospitals.hospitalKey(context(), hospital().slug(), Role.CLINICIAN);
		String keyId = key.split("_")[1];
		assertThat(get(key)).isEqualTo(200);
		// Registering the test's hospital notified a change; once that has arrived, the
		// key is kept.
		await().pollDelay(Duration.ofMillis(300)).until(() -> get(key) == 200);

		// Revoked without the notification the trigger would send: the server still
		// answers from what it keeps, which shows it does not read the key again.
		changeUnnotified("revoked_at", keyId);
		assertThat(get(key)).as("kept").isEqualTo(200);

		this.owner.execute("SELECT pg_notify('" + RegistryCache.CHANNEL + "', 'api_key')");
		await().atMost(NOTIFIED).until(() -> get(key) == 401);
	}

	@Test
	void aRevocationOrSuspensionByAnotherSessionIsSeenWhenItCommits() {
		TestHospitals.TestHospital hospital = newHospital();
		String key = TestHospitals.hospitalKey(context(), hospital.slug(), Role.CLINICIAN);
		String other = TestHospitals.hospitalKey(context(), hospital.slug(), Role.HOSPITAL_SYSTEM);
		assertThat(get(key)).isEqualTo(200);
		assertThat(get(other)).isEqualTo(200);

		this.owner.update("UPDATE crosswalk.api_key SET revoked_at = now() WHERE key_id = ?", key.split("_")[1]);
		await().atMost(NOTIFIED).until(() -> get(key) == 401);
		assertThat(get(other)).isEqualTo(200);

		this.owner.update("UPDATE crosswalk.hospital SET status = 'suspended' WHERE slug = ?", hospital.slug());
		await().atMost(NOTIFIED).until(() -> get(other) == 401);
		this.owner.update("UPDATE crosswalk.hospital SET status = 'active' WHERE slug = ?", hospital.slug());
		await().atMost(NOTIFIED).until(() -> get(other) == 200);
	}

	@Test
	void aServerThatStopsHearingReadsTheDatabaseUntilItListensAgain() {
		String key = TestHospitals.hospitalKey(context(), hospital().slug(), Role.CLINICIAN);
		String keyId = key.split("_")[1];
		assertThat(get(key)).isEqualTo(200);

		this.owner.queryForList(
				"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'crosswalk-session'");
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.cache.isListening());
		changeUnnotified("expires_at", keyId);
		assertThat(get(key)).as("read from the database").isEqualTo(401);

		await().atMost(Duration.ofSeconds(15)).until(this.cache::isListening);
	}

	/**
	 * Ends a key now ({@code revoked_at} or {@code expires_at}) in a transaction that
	 * turns the trigger off, so that no notification is sent.
	 */
	private void changeUnnotified(String column, String keyId) {
		new TransactionTemplate(new DataSourceTransactionManager(this.owner.getDataSource()))
			.executeWithoutResult((tx) -> {
				this.owner.execute("ALTER TABLE crosswalk.api_key DISABLE TRIGGER api_key_registry_changed");
				this.owner.update("UPDATE crosswalk.api_key SET " + column + " = now() WHERE key_id = ?", keyId);
				this.owner.execute("ALTER TABLE crosswalk.api_key ENABLE TRIGGER api_key_registry_changed");
			});
	}

	private int get(String key) {
		return this.http.get("/fhir/Patient?_count=1", key).statusCode();
	}

}
