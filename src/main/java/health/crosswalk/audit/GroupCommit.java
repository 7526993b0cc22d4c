package health.crosswalk.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.jdbc.PreferQueryMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the audit records of concurrent requests together: one thread takes every
 * record waiting, appends them in one transaction and wakes their requests once it has
 * committed. A request waits at most the commit timeout; a full queue is refused at once.
 * One commit (one WAL flush) then serves many requests; up to
 * {@link #ONE_ROUND_TRIP_ROWS} rows, in one round trip to the database.
 */
final class GroupCommit implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

	private static final int MAX_ROWS_PER_COMMIT = 2000;

	/**
	 * Most rows committed in one round trip instead of two: sent as one batch in
	 * autocommit, which the driver ends with a single Sync, so that PostgreSQL runs it as
	 * one implicit transaction and commits all its rows or none. The driver sends a Sync
	 * of its own after about 256 statements; this stays well below, before it rewrites
	 * the batch into multi-row inserts. Larger batches commit in a transaction of their
	 * own.
	 */
	static final int ONE_ROUND_TRIP_ROWS = 128;

	private final AuditText text;

	private final DataSource dataSource;

	private final BlockingQueue<Pending> queue;

	private final Duration timeout;

	private final Thread thread;

	private volatile boolean running = true;

	private volatile long lastCommitted;

	private volatile long lastFailed;

	private volatile String lastFailure;

	private final List<CommitListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

	/** Told of each commit: how many rows, how long it took, whether it failed. */
	interface CommitListener {

		void committed(int rows, long nanos, boolean failed);

	}

	/**
	 * The group commit's state, for health and metrics.
	 *
	 * @param alive whether its thread runs and accepts rows
	 * @param queued commits waiting
	 * @param capacity most commits that may wait
	 * @param lastCommitted when a commit last succeeded (epoch ms, 0: never)
	 * @param lastFailed when a commit last failed (epoch ms, 0: never)
	 * @param lastFailure why it failed, or null
	 */
	record State(boolean alive, int queued, int capacity, long lastCommitted, long lastFailed, String lastFailure) {

		/**
		 * Whether the last commit failed, none has succeeded since, and the failure is
		 * recent: without requests nothing would commit again, so an older failure no
		 * longer counts and traffic may probe the trail again.
		 * @param now the time (epoch ms)
		 * @param window how long a failure counts (ms)
		 * @return true while commits fail
		 */
		boolean failing(long now, long window) {
			return this.lastFailed >= this.lastCommitted && this.lastFailed != 0 && now - this.lastFailed < window;
		}

	}

	GroupCommit(DataSource dataSource, AuditText text, int capacity, Duration timeout) {
		this.dataSource = dataSource;
		this.text = text;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.timeout = timeout;
		this.thread = new Thread(this::run, "audit-group-commit");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	void listen(CommitListener listener) {
		this.listeners.add(listener);
	}

	State state() {
		return new State(this.running && this.thread.isAlive(), this.queue.size(),
				this.queue.size() + this.queue.remainingCapacity(), this.lastCommitted, this.lastFailed,
				this.lastFailure);
	}

	/**
	 * Appends rows and returns once they are committed.
	 * @param rows the rows
	 * @throws AuditUnavailableException if they could not be committed in time
	 */
	void append(List<AuditRow> rows) {
		await(submit(rows));
	}

	/**
	 * Queues rows for the next commit without waiting for it.
	 * @param rows the rows
	 * @return completed once they are committed
	 * @throws AuditUnavailableException if the queue is full or closed
	 */
	CompletableFuture<Void> submit(List<AuditRow> rows) {
		if (rows.isEmpty()) {
			return CompletableFuture.completedFuture(null);
		}
		Pending pending = new Pending(rows, new CompletableFuture<>());
		if (!this.running || !this.queue.offer(pending)) {
			throw new AuditUnavailableException("the audit queue is full or closed");
		}
		return pending.committed();
	}

	/**
	 * Waits for submitted rows to be committed, at most the commit timeout.
	 * @param committed what {@link #submit} returned
	 * @throws AuditUnavailableException if they were not committed in time
	 */
	void await(CompletableFuture<Void> committed) {
		try {
			committed.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AuditUnavailableException("interrupted while waiting for the audit commit");
		}
		catch (TimeoutException ex) {
			throw new AuditUnavailableException("the audit commit took longer than " + this.timeout);
		}
		catch (ExecutionException ex) {
			throw new AuditUnavailableException("the audit commit failed: " + ex.getCause().getMessage());
		}
	}

	private void run() {
		List<Pending> batch = new ArrayList<>();
		while (this.running || !this.queue.isEmpty()) {
			try {
				Pending first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				int rows = first.rows().size();
				Pending next;
				while (rows < MAX_ROWS_PER_COMMIT && (next = this.queue.poll()) != null) {
					batch.add(next);
					rows += next.rows().size();
				}
				commit(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				batch.clear();
			}
		}
	}

	private void commit(List<Pending> batch) {
		List<AuditRow> rows = new ArrayList<>();
		batch.forEach((pending) -> rows.addAll(pending.rows()));
		long start = System.nanoTime();
		try (Connection connection = this.dataSource.getConnection()) {
			if (rows.size() <= ONE_ROUND_TRIP_ROWS && oneRoundTrip(connection)) {
				AuditStore.append(connection, this.text, rows);
			}
			else {
				inTransaction(connection, rows);
			}
			this.lastCommitted = System.currentTimeMillis();
			tell(rows.size(), System.nanoTime() - start, false);
			batch.forEach((pending) -> pending.committed().complete(null));
		}
		catch (SQLException | RuntimeException | Error ex) {
			// Even an Error (out of memory, say) fails only this batch: the thread
			// lives on for the next one, or every later response would wait in vain.
			log.error("Could not commit {} audit records; their requests are answered 503: {}", rows.size(),
					String.valueOf(ex));
			this.lastFailure = String.valueOf(ex);
			this.lastFailed = System.currentTimeMillis();
			tell(rows.size(), System.nanoTime() - start, true);
			batch.forEach((pending) -> pending.committed().completeExceptionally(ex));
		}
	}

	private void inTransaction(Connection connection, List<AuditRow> rows) throws SQLException {
		connection.setAutoCommit(false);
		try {
			AuditStore.append(connection, this.text, rows);
			connection.commit();
		}
		catch (SQLException | RuntimeException | Error ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
		}
	}

	/**
	 * Whether a batch sent on this connection commits all its rows or none without a
	 * transaction of its own: in autocommit, over PostgreSQL's extended protocol (not the
	 * simple one, where each statement commits alone).
	 */
	static boolean oneRoundTrip(Connection connection) throws SQLException {
		return connection.getAutoCommit() && connection.isWrapperFor(PGConnection.class)
				&& connection.unwrap(PGConnection.class).getPreferQueryMode() != PreferQueryMode.SIMPLE;
	}

	private void tell(int rows, long nanos, boolean failed) {
		for (CommitListener listener : this.listeners) {
			try {
				listener.committed(rows, nanos, failed);
			}
			catch (RuntimeException ex) {
				log.warn("An audit commit listener failed: {}", String.valueOf(ex));
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(this.timeout.toMillis());
	}

	private record Pending(List<AuditRow> rows, CompletableFuture<Void> committed) {
	}

}
