package health.crosswalk.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a read routed to the replica gets its connection: from the replica while it
 * answers; from the primary for {@link #PAUSE} after the replica failed to give one
 * within its connection timeout (down, unreachable, or every connection busy), then the
 * replica again. A replica that fails thus costs its reads one wait, not an error.
 */
final class ReplicaFallback {

	/** A pool to take a connection from. */
	interface Pool {

		Connection connection() throws SQLException;

	}

	private static final Logger log = LoggerFactory.getLogger(ReplicaFallback.class);

	/** How long reads stay on the primary after the replica failed. */
	static final Duration PAUSE = Duration.ofSeconds(30);

	private final Clock clock;

	private final AtomicLong toPrimary = new AtomicLong();

	private volatile Instant pausedUntil = Instant.MIN;

	private volatile String failure;

	ReplicaFallback(Clock clock) {
		this.clock = clock;
	}

	Connection connect(Pool replica, Pool primary) throws SQLException {
		if (this.clock.instant().isBefore(this.pausedUntil)) {
			this.toPrimary.incrementAndGet();
			return primary.connection();
		}
		Connection connection;
		try {
			connection = replica.connection();
		}
		catch (SQLException ex) {
			boolean wasUp = this.failure == null;
			this.failure = ex.getMessage();
			this.pausedUntil = this.clock.instant().plus(PAUSE);
			if (wasUp) {
				log.warn("The read replica gave no connection ({}); reads go to the primary, and the replica is "
						+ "tried again every {}", ex.getMessage(), PAUSE);
			}
			this.toPrimary.incrementAndGet();
			return primary.connection();
		}
		if (this.failure != null) {
			this.failure = null;
			log.info("The read replica answers again; routed reads go to it");
		}
		return connection;
	}

	/**
	 * Why routed reads go to the primary now.
	 * @return the replica's last failure, or null while it answers
	 */
	String failure() {
		return this.failure;
	}

	/**
	 * Until when routed reads go to the primary without trying the replica.
	 * @return the time, in the past while the replica answers
	 */
	Instant pausedUntil() {
		return this.pausedUntil;
	}

	/**
	 * How many routed reads the primary answered instead of the replica.
	 * @return the count since the server started
	 */
	long toPrimary() {
		return this.toPrimary.get();
	}

}
