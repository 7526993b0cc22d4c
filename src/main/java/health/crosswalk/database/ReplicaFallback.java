package health.crosswalk.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a read routed to the replica gets its connection: from the replica while it
 * answers; from the primary for {@link #PAUSE} after the replica failed to give one
 * within its connection timeout (down, unreachable, or every connection busy). Then one
 * read tries the replica again while the others stay on the primary, so a failing replica
 * costs one wait per pause, not one per read.
 */
final class ReplicaFallback {

	/** A pool to take a connection from. */
	interface Pool {

		Connection connection() throws SQLException;

	}

	/**
	 * @param failure why the replica gave no connection, or null while it answers
	 * @param pausedUntil until when reads go to the primary without trying it
	 */
	private record State(String failure, Instant pausedUntil) {
	}

	private static final Logger log = LoggerFactory.getLogger(ReplicaFallback.class);

	/** How long reads stay on the primary after the replica failed. */
	static final Duration PAUSE = Duration.ofSeconds(30);

	private static final State UP = new State(null, Instant.MIN);

	private final Clock clock;

	private final AtomicLong toPrimary = new AtomicLong();

	private final AtomicReference<State> state = new AtomicReference<>(UP);

	ReplicaFallback(Clock clock) {
		this.clock = clock;
	}

	Connection connect(Pool replica, Pool primary) throws SQLException {
		State seen = this.state.get();
		Instant now = this.clock.instant();
		if (seen.failure() != null) {
			// One read probes the replica once the pause is over; the others, and every
			// read during the pause, go to the primary.
			if (now.isBefore(seen.pausedUntil())
					|| !this.state.compareAndSet(seen, new State(seen.failure(), now.plus(PAUSE)))) {
				this.toPrimary.incrementAndGet();
				return primary.connection();
			}
		}
		Connection connection;
		try {
			connection = replica.connection();
		}
		catch (SQLException ex) {
			if (Thread.currentThread().isInterrupted() || String.valueOf(ex.getMessage()).contains("has been closed")) {
				// The server stopping, not the replica failing.
				throw ex;
			}
			State failed = new State(String.valueOf(ex.getMessage()), this.clock.instant().plus(PAUSE));
			if (this.state.getAndSet(failed).failure() == null) {
				log.warn("The read replica gave no connection ({}); reads go to the primary, and the replica is "
						+ "tried again every {}", ex.getMessage(), PAUSE);
			}
			this.toPrimary.incrementAndGet();
			return primary.connection();
		}
		if (this.state.getAndSet(UP).failure() != null) {
			log.info("The read replica answers again; routed reads go to it");
		}
		return connection;
	}

	/**
	 * Why routed reads go to the primary now.
	 * @return the replica's last failure, or null while it answers
	 */
	String failure() {
		return this.state.get().failure();
	}

	/**
	 * How many routed reads the primary answered instead of the replica.
	 * @return the count since the server started
	 */
	long toPrimary() {
		return this.toPrimary.get();
	}

}
