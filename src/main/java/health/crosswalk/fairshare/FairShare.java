package health.crosswalk.fairshare;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One lane per caller group (a hospital): at most {@code maxConcurrent} requests of a
 * lane run at once, at most {@code maxQueued} wait for a turn (in arrival order), each at
 * most {@code queueTimeout}; the others are turned away. A burst of one hospital thus
 * queues only that hospital.
 */
final class FairShare {

	private final int maxConcurrent;

	private final int maxQueued;

	private final long queueTimeoutNanos;

	private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

	FairShare(int maxConcurrent, int maxQueued, Duration queueTimeout) {
		this.maxConcurrent = maxConcurrent;
		this.maxQueued = maxQueued;
		this.queueTimeoutNanos = queueTimeout.toNanos();
	}

	/**
	 * Waits for a turn in a lane.
	 * @param lane the caller group
	 * @return the turn, to be closed when the request ends, or null when the lane is full
	 * or the wait timed out
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	Turn enter(String lane) throws InterruptedException {
		Lane state = this.lanes.computeIfAbsent(lane, (key) -> new Lane(this.maxConcurrent));
		// Not tryAcquire(): it would take a freed permit ahead of those already waiting.
		if (state.permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
			return state::leave;
		}
		if (state.waiting.incrementAndGet() > this.maxQueued) {
			state.waiting.decrementAndGet();
			return null;
		}
		try {
			if (state.permits.tryAcquire(this.queueTimeoutNanos, TimeUnit.NANOSECONDS)) {
				return state::leave;
			}
			return null;
		}
		finally {
			state.waiting.decrementAndGet();
		}
	}

	/**
	 * How many requests of a lane wait for a turn.
	 * @param lane the caller group
	 * @return the count
	 */
	int waiting(String lane) {
		Lane state = this.lanes.get(lane);
		return (state != null) ? state.waiting.get() : 0;
	}

	/**
	 * How many requests of a lane run.
	 * @param lane the caller group
	 * @return the count
	 */
	int running(String lane) {
		Lane state = this.lanes.get(lane);
		return (state != null) ? this.maxConcurrent - state.permits.availablePermits() : 0;
	}

	/**
	 * A request's turn; closing it lets the next one in.
	 */
	interface Turn extends AutoCloseable {

		@Override
		void close();

	}

	private static final class Lane {

		private final Semaphore permits;

		private final AtomicInteger waiting = new AtomicInteger();

		Lane(int maxConcurrent) {
			this.permits = new Semaphore(maxConcurrent, true);
		}

		void leave() {
			this.permits.release();
		}

	}

}
