package health.crosswalk.database;

import java.net.http.HttpResponse;
import java.util.UUID;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.security.Role;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL bounds every session of the application: a statement that runs too long and
 * a transaction that waits too long between statements are ended by the database, the
 * request is answered 503 with the setting to look at, nothing of it is stored, and the
 * failure is audited. Migrations run on sessions without those bounds.
 */
class DeadlineIT extends CrosswalkIntegrationTest {

	private FhirHttp http;

	private IInterceptorService interceptors;

	private EntityManagerFactory entityManagers;

	@BeforeEach
	void setUp() {
		this.http = new FhirHttp(serverUrl());
		this.interceptors = context().getBean(IInterceptorService.class);
		this.entityManagers = context().getBean(EntityManagerFactory.class);
	}

	@Test
	void everyApplicationSessionIsBoundedAndMigrationSessionsAreNot() {
		JdbcTemplate application = context().getBean(JdbcTemplate.class);
		assertThat(application.queryForObject("SHOW statement_timeout", String.class)).isEqualTo("1min");
		assertThat(application.queryForObject("SHOW idle_in_transaction_session_timeout", String.class))
			.isEqualTo("10min");
		JdbcTemplate migrations = new JdbcTemplate(context().getBean(SchemaOwner.class).dataSource());
		assertThat(migrations.queryForObject("SHOW statement_timeout", String.class)).isEqualTo("0");
	}

	@Test
	void aStatementOverTheTimeoutIsCancelledAndNothingIsStored() {
		String family = family();
		HttpResponse<String> response = createWhile(family, (entityManager) -> {
			entityManager.createNativeQuery("SET LOCAL statement_timeout = '200ms'").executeUpdate();
			entityManager.createNativeQuery("SELECT pg_sleep(5)").getSingleResult();
		});
		FhirHttp.assertOutcome(response, 503, "CW-SRV-002");
		assertNothingStoredAndFailureAudited(family, response);
	}

	@Test
	void aTransactionIdleOverTheTimeoutIsEndedAndNothingIsStored() {
		String family = family();
		HttpResponse<String> response = createWhile(family, (entityManager) -> {
			entityManager.createNativeQuery("SET LOCAL idle_in_transaction_session_timeout = '300ms'").executeUpdate();
			try {
				// Work outside the database, as validating an enormous resource would be.
				Thread.sleep(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		FhirHttp.assertOutcome(response, 503, "CW-SRV-003");
		assertNothingStoredAndFailureAudited(family, response);
	}

	private HttpResponse<String> createWhile(String family, Slow slow) {
		Object hook = new SlowWrite(family, this.entityManagers, slow);
		this.interceptors.registerInterceptor(hook);
		try {
			return this.http.send("POST", "/fhir/Patient", hospital().key(), "application/fhir+json",
					CoreResources.patientJson(family, ""), "X-Request-ID", FhirHttp.requestId("deadline"));
		}
		finally {
			this.interceptors.unregisterInterceptor(hook);
		}
	}

	private void assertNothingStoredAndFailureAudited(String family, HttpResponse<String> response) {
		HttpResponse<String> search = this.http.get("/fhir/Patient?family=" + family, hospital().key());
		assertThat(FHIR.newJsonParser().parseResource(Bundle.class, search.body()).getEntry()).isEmpty();
		String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
		HttpResponse<String> audit = this.http.get("/fhir/AuditEvent?request-id=" + requestId,
				TestHospitals.networkKey(context(), Role.AUDITOR));
		Bundle events = FHIR.newJsonParser().parseResource(Bundle.class, audit.body());
		assertThat(events.getEntry()).singleElement().satisfies((entry) -> {
			AuditEvent event = (AuditEvent) entry.getResource();
			assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("create");
			assertThat(event.getOutcome().toCode()).isNotEqualTo("0");
		});
	}

	private static String family() {
		return "Deadline" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
	}

	interface Slow {

		void during(EntityManager transaction);

	}

	/**
	 * Makes the write of one family slow inside its own transaction.
	 */
	@Interceptor
	static final class SlowWrite {

		private final String family;

		private final EntityManagerFactory entityManagers;

		private final Slow slow;

		SlowWrite(String family, EntityManagerFactory entityManagers, Slow slow) {
			this.family = family;
			this.entityManagers = entityManagers;
			this.slow = slow;
		}

		@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
		void created(IBaseResource resource) {
			if (resource instanceof Patient patient && this.family.equals(patient.getNameFirstRep().getFamily())) {
				this.slow.during(EntityManagerFactoryUtils.getTransactionalEntityManager(this.entityManagers));
			}
		}

	}

}
