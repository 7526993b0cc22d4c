package health.crosswalk.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

import jakarta.persistence.EntityManager;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The query a read by id loads its resource with, run as a statement of its own while its
 * read-only transaction has sent nothing else: the transaction's commit then has nothing
 * to send.
 *
 * <p>
 * Why: the driver (pgjdbc) opens a transaction by sending {@code BEGIN} with its first
 * statement, and closes it with a {@code COMMIT} of its own, a round trip to PostgreSQL
 * after the query's: 3.4 % of a read by id's samples in benchmark run AI, outside the JIT
 * compiler, for a transaction whose one statement is a {@code SELECT}. Run in autocommit,
 * the {@code SELECT} is PostgreSQL's implicit transaction, committed with its answer; the
 * driver sends nothing at the commit of a transaction it never opened.
 *
 * <p>
 * It reads what it would have read inside the transaction. At PostgreSQL's default
 * isolation, read committed, every statement of a transaction takes a snapshot of its
 * own, as a statement in autocommit does; a read-only transaction holds no lock a reader
 * needs after its statement. So the query runs on its own only in a transaction Spring
 * marks read-only ({@link ReadOnlyReads}: a read by id or by version), at the default
 * isolation, on sessions whose default isolation is read committed (checked once at
 * start), on a PostgreSQL connection that has sent nothing in this transaction. Anything
 * the transaction sends after it opens the transaction as before, and its commit is sent.
 * A query that fails leaves no transaction open on the server and the connection back in
 * manual commit; Spring rolls back the transaction it began, as for any failure.
 */
final class ImplicitReads {

	private final boolean readCommitted;

	/**
	 * @param readCommitted whether the server's sessions default to read committed
	 */
	ImplicitReads(boolean readCommitted) {
		this.readCommitted = readCommitted;
	}

	/**
	 * Whether a session default isolation, as PostgreSQL names it, lets a read-only
	 * transaction's first query run on its own.
	 * @param defaultIsolation the value of {@code default_transaction_isolation}
	 * @return the reads, on or off
	 */
	static ImplicitReads forSessions(String defaultIsolation) {
		return new ImplicitReads("read committed".equalsIgnoreCase(defaultIsolation));
	}

	boolean isOn() {
		return this.readCommitted;
	}

	/**
	 * Runs a query, on its own where it may.
	 * @param <T> the query's answer
	 * @param entityManager the entity manager the query runs through
	 * @param query the query
	 * @return its answer
	 */
	<T> T run(EntityManager entityManager, Supplier<T> query) {
		Connection connection = idle(entityManager);
		if (connection == null) {
			return query.get();
		}
		autoCommit(connection, true);
		T answer;
		try {
			answer = query.get();
		}
		catch (RuntimeException | Error ex) {
			try {
				connection.setAutoCommit(false);
			}
			catch (SQLException | RuntimeException restore) {
				ex.addSuppressed(restore);
			}
			throw ex;
		}
		autoCommit(connection, false);
		return answer;
	}

	/**
	 * The connection of a read-only transaction at the default isolation that has sent
	 * nothing yet, in manual commit; otherwise null.
	 */
	private Connection idle(EntityManager entityManager) {
		if (!this.readCommitted || !TransactionSynchronizationManager.isActualTransactionActive()
				|| !TransactionSynchronizationManager.isCurrentTransactionReadOnly()
				|| TransactionSynchronizationManager.getCurrentTransactionIsolationLevel() != null) {
			return null;
		}
		try {
			Connection connection = entityManager.unwrap(SharedSessionContractImplementor.class)
				.getJdbcCoordinator()
				.getLogicalConnection()
				.getPhysicalConnection();
			if (connection == null || connection.getAutoCommit() || !connection.isWrapperFor(BaseConnection.class)) {
				return null;
			}
			TransactionState state = connection.unwrap(BaseConnection.class).getTransactionState();
			return (state == TransactionState.IDLE) ? connection : null;
		}
		catch (SQLException | RuntimeException ex) {
			return null;
		}
	}

	private static void autoCommit(Connection connection, boolean on) {
		try {
			connection.setAutoCommit(on);
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not set autocommit " + on + " on a read's connection",
					ex);
		}
	}

}
