package health.crosswalk.storage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.dao.tx.HapiTransactionService;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read by id or version runs in a read-only transaction ({@link ReadOnlyReads}):
 * Hibernate loads its entities read-only and does not flush it. A transaction bundle's
 * write runs as before, and its read, after the write commits, read-only.
 */
class ReadOnlyReadsIT extends CrosswalkIntegrationTest {

	private final Shown shown = new Shown();

	private IInterceptorService interceptors;

	@BeforeEach
	void register() {
		this.shown.entityManagers = context().getBean(EntityManagerFactory.class);
		this.interceptors = context().getBean(IInterceptorService.class);
		this.interceptors.registerInterceptor(this.shown);
	}

	@AfterEach
	void unregister() {
		this.interceptors.unregisterInterceptor(this.shown);
	}

	@Test
	void hapisTransactionServiceIsReplaced() {
		assertThat(context().getBean(HapiTransactionService.class)).isInstanceOf(ReadOnlyReads.class);
	}

	@Test
	void aReadByIdOrVersionRunsReadOnly() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		String observation = newObservation(client, patient);

		this.shown.clear();
		client.read().resource(Observation.class).withId(observation).execute();
		client.read().resource(Observation.class).withIdAndVersion(observation, "1").execute();
		Patient read = client.read().resource(Patient.class).withId(patient.getReferenceElement()).execute();

		assertThat(read.getIdElement().getIdPart()).isEqualTo(patient.getReferenceElement().getIdPart());
		assertThat(this.shown.transactions).containsExactly(new Transaction("READ", true, true, FlushMode.MANUAL),
				new Transaction("VREAD", true, true, FlushMode.MANUAL),
				new Transaction("READ", true, true, FlushMode.MANUAL));
	}

	@Test
	void aTransactionBundlesWritesMayWriteAndItsReadsRunReadOnlyAfterThem() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		String observation = newObservation(client, patient);
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		bundle.addEntry()
			.setResource(CoreResources.PATIENT.create(unique("mrn"), null))
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Patient");
		bundle.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Observation/" + observation);

		this.shown.clear();
		Bundle response = client.transaction().withBundle(bundle).execute();

		assertThat(response.getEntry().get(1).getResource()).isInstanceOf(Observation.class);
		// HAPI runs a bundle's reads after its writes commit, each on its own.
		assertThat(this.shown.transactions).hasSize(2);
		assertThat(this.shown.transactions.get(0)).satisfies((write) -> {
			assertThat(write.operation()).isEqualTo("TRANSACTION");
			assertThat(write.readOnly()).isFalse();
			assertThat(write.entitiesReadOnly()).isFalse();
			assertThat(write.flush()).isNotEqualTo(FlushMode.MANUAL);
		});
		assertThat(this.shown.transactions.get(1)).satisfies((read) -> {
			assertThat(read.operation()).isIn("READ", "VREAD");
			assertThat(read.readOnly()).isTrue();
			assertThat(read.entitiesReadOnly()).isTrue();
			assertThat(read.flush()).isEqualTo(FlushMode.MANUAL);
		});
	}

	/** What a hook saw of the transaction it ran in. */
	record Transaction(String operation, boolean readOnly, boolean entitiesReadOnly, FlushMode flush) {
	}

	/** Records the transaction a resource is stored or shown in. */
	@Interceptor
	static final class Shown {

		final List<Transaction> transactions = new CopyOnWriteArrayList<>();

		EntityManagerFactory entityManagers;

		void clear() {
			this.transactions.clear();
		}

		@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
		void storing(RequestDetails request) {
			record(request);
		}

		@Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
		void showing(RequestDetails request) {
			record(request);
		}

		private void record(RequestDetails request) {
			if (request == null || request.getRestOperationType() == null
					|| !TransactionSynchronizationManager.isActualTransactionActive()) {
				return;
			}
			Session session = EntityManagerFactoryUtils.getTransactionalEntityManager(this.entityManagers)
				.unwrap(Session.class);
			this.transactions.add(new Transaction(request.getRestOperationType().name(),
					TransactionSynchronizationManager.isCurrentTransactionReadOnly(), session.isDefaultReadOnly(),
					session.getHibernateFlushMode()));
		}

	}

}
