package health.crosswalk.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import health.crosswalk.CrosswalkIntegrationTest;
import jakarta.persistence.EntityManager;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A read-only transaction's first query runs as a statement of its own
 * ({@link ImplicitReads}): the driver has no transaction open after it, so the commit
 * sends nothing, and the connection is back in manual commit. A read-write transaction
 * and one that has already sent a statement run the query inside the transaction. A query
 * that fails leaves the connection in manual commit, and the next read runs as before.
 */
class ImplicitReadsIT extends CrosswalkIntegrationTest {

	private IResourceTableDao resources;

	private EntityManager entityManager;

	private long pid;

	@BeforeEach
	void observation() {
		this.resources = context().getBean(IResourceTableDao.class);
		this.entityManager = context().getBean(EntityManager.class);
		String id = newObservation(client(), newPatient(client()));
		this.pid = context().getBean(JdbcTemplate.class)
			.queryForObject("SELECT res_id FROM hfj_resource WHERE fhir_id = ? AND res_type = 'Observation'",
					Long.class, id);
	}

	@Test
	void theServersSessionsDefaultToReadCommitted() {
		assertThat(context().getBean(ImplicitReads.class).isOn()).isTrue();
	}

	@Test
	void aReadOnlyTransactionsFirstQueryLeavesNoTransactionOpen() {
		Seen seen = inTransaction(readOnly(), () -> null);

		assertThat(seen.loaded.getCurrentVersionEntity()).isNotNull();
		assertThat(seen.state).isEqualTo(TransactionState.IDLE);
		assertThat(seen.autoCommit).isFalse();
	}

	@Test
	void aReadWriteTransactionRunsTheQueryInside() {
		Seen seen = inTransaction(new TransactionTemplate(transactions()), () -> null);

		assertThat(seen.loaded.getCurrentVersionEntity()).isNotNull();
		assertThat(seen.state).isEqualTo(TransactionState.OPEN);
	}

	@Test
	void aTransactionThatHasSentAStatementRunsTheQueryInside() {
		Seen seen = inTransaction(readOnly(), () -> this.entityManager.createNativeQuery("SELECT 1").getSingleResult());

		assertThat(seen.loaded.getCurrentVersionEntity()).isNotNull();
		assertThat(seen.state).isEqualTo(TransactionState.OPEN);
	}

	@Test
	void aStatementAfterTheQueryOpensTheTransactionAndCommits() {
		TransactionState[] after = new TransactionState[1];
		readOnly().executeWithoutResult((status) -> {
			this.resources.readByPartitionId(hospital().partitionId(), this.pid).orElseThrow();
			this.entityManager.createNativeQuery("SELECT 1").getSingleResult();
			after[0] = state(connection());
		});

		assertThat(after[0]).isEqualTo(TransactionState.OPEN);
	}

	@Test
	void aFailedQueryLeavesTheConnectionInManualCommitAndTheTransactionRollsBack() {
		ImplicitReads reads = context().getBean(ImplicitReads.class);
		Boolean[] autoCommit = new Boolean[1];

		assertThatThrownBy(() -> readOnly().executeWithoutResult((status) -> {
			try {
				reads.run(this.entityManager,
						() -> this.entityManager.createNativeQuery("SELECT 1 / 0").getSingleResult());
			}
			finally {
				autoCommit[0] = autoCommit(connection());
			}
		})).hasStackTraceContaining("division by zero");

		assertThat(autoCommit[0]).isFalse();
		Seen after = inTransaction(readOnly(), () -> null);
		assertThat(after.loaded.getCurrentVersionEntity()).isNotNull();
		assertThat(after.state).isEqualTo(TransactionState.IDLE);
	}

	private Seen inTransaction(TransactionTemplate template, Supplier<Object> before) {
		return template.execute((status) -> {
			before.get();
			ResourceTable loaded = this.resources.readByPartitionId(hospital().partitionId(), this.pid).orElseThrow();
			Connection connection = connection();
			return new Seen(loaded, state(connection), autoCommit(connection));
		});
	}

	private Connection connection() {
		return this.entityManager.unwrap(SharedSessionContractImplementor.class)
			.getJdbcCoordinator()
			.getLogicalConnection()
			.getPhysicalConnection();
	}

	private static boolean autoCommit(Connection connection) {
		try {
			return connection.getAutoCommit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static TransactionState state(Connection connection) {
		try {
			return connection.unwrap(BaseConnection.class).getTransactionState();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private TransactionTemplate readOnly() {
		TransactionTemplate template = new TransactionTemplate(transactions());
		template.setReadOnly(true);
		return template;
	}

	private PlatformTransactionManager transactions() {
		return context().getBean(PlatformTransactionManager.class);
	}

	private record Seen(ResourceTable loaded, TransactionState state, boolean autoCommit) {
	}

}
