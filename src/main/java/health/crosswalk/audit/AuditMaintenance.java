package health.crosswalk.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Background work of the audit trail, on one thread: sealing new records into the hash
 * chain every seal interval, creating the coming months' partitions daily, and logging
 * the chain head hourly so that log archives keep a copy of it outside the database.
 */
final class AuditMaintenance implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AuditMaintenance.class);

	static final int PARTITION_MONTHS_AHEAD = 2;

	private final AuditChain chain;

	private final AuditStore store;

	private final Duration sealInterval;

	private ScheduledExecutorService executor;

	private volatile long lastSealed;

	private volatile int sealedLastPass;

	AuditMaintenance(AuditChain chain, AuditStore store, Duration sealInterval) {
		this.chain = chain;
		this.store = store;
		this.sealInterval = sealInterval;
	}

	@Override
	public void start() {
		// Before the first request, so that records land in their month's partition.
		partitions();
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "audit-maintenance");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.sealInterval.toMillis();
		this.executor.scheduleWithFixedDelay(this::seal, interval, interval, TimeUnit.MILLISECONDS);
		this.executor.scheduleWithFixedDelay(this::partitions, 1, 24, TimeUnit.HOURS);
		this.executor.scheduleWithFixedDelay(this::logHead, 0, 1, TimeUnit.HOURS);
	}

	private void seal() {
		long start = System.currentTimeMillis();
		try {
			this.sealedLastPass = this.chain.sealAll();
			this.lastSealed = start;
		}
		catch (Exception ex) {
			log.warn("Could not seal audit records (retried in {}): {}", this.sealInterval, ex.getMessage());
		}
	}

	/**
	 * When the last completed pass of the sealer started (epoch ms, 0: none yet): every
	 * record committed before then is sealed.
	 * @return the time
	 */
	long lastSealed() {
		return this.lastSealed;
	}

	/**
	 * Records its last pass sealed: near the capacity of a pass means it lags behind.
	 * @return the count
	 */
	int sealedLastPass() {
		return this.sealedLastPass;
	}

	private void partitions() {
		try {
			java.util.List<java.time.LocalDate> later = this.store.ensurePartitionsPatiently(AuditStore.utcToday(),
					PARTITION_MONTHS_AHEAD);
			if (!later.isEmpty()) {
				log.warn("Audit partitions of {} wait for a lock held elsewhere (a backup?); retried in a day "
						+ "(they are made two months ahead)", later);
			}
		}
		catch (Exception ex) {
			log.error("Could not create the coming months' audit partitions: {}", ex.getMessage());
		}
	}

	private void logHead() {
		try {
			AuditChain.Head head = this.chain.head();
			if (head != null) {
				log.info("Audit chain head: position {} hash {} ({}, sealed {})", head.position(), head.hash(),
						head.algorithm(), head.sealedAt());
			}
		}
		catch (Exception ex) {
			log.warn("Could not read the audit chain head: {}", ex.getMessage());
		}
	}

	@Override
	public void stop() {
		if (this.executor != null) {
			this.executor.shutdown();
			try {
				this.executor.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			seal();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
