package health.crosswalk.bulk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Removes the files of exports that are over: once a file is older than the retention and
 * its export ended more than the retention ago (or HAPI no longer knows it), the Binary
 * is deleted and expunged, history and all, in its hospital's partition. Files of an
 * export still running stay, however old.
 *
 * <p>
 * Servers sharing the database each run passes; a file is claimed for a lease before it
 * is removed, so one server removes it. A server that stops midway leaves the claim to
 * expire and the file to the next pass: each step is safe to repeat.
 */
final class ExportPurge implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ExportPurge.class);

	/** Files read at a time; a pass pages through every file old enough, oldest first. */
	static final int PAGE_SIZE = 500;

	static final Duration LEASE = Duration.ofMinutes(10);

	/** The first pass after the server starts. */
	static final Duration FIRST_PASS = Duration.ofMinutes(1);

	/**
	 * A file of an export.
	 *
	 * @param binaryId its Binary's id
	 * @param partitionId its hospital's partition (null: the default partition)
	 * @param jobId its export's Batch2 job
	 * @param written when it was stored
	 */
	record File(String binaryId, Integer partitionId, String jobId, Instant written) {
	}

	/** The register of files. */
	interface Files {

		/**
		 * A page of files written before a time that no other server holds.
		 * @param cutoff the time
		 * @param after the last file of the previous page, or null for the first
		 * @param limit the page's size
		 * @return the files, oldest first
		 */
		List<File> writtenBefore(Instant cutoff, File after, int limit);

		/**
		 * Takes a file for removal unless another server holds it.
		 * @param binaryId the file
		 * @param lease how long the claim holds
		 * @return true if this server now holds it
		 */
		boolean claim(String binaryId, Duration lease);

		void forget(String binaryId);

	}

	/** The export jobs. */
	interface Jobs {

		/**
		 * When an export ended.
		 * @param jobId the export's job
		 * @return empty while it is queued or running; when it ended otherwise,
		 * {@link Instant#EPOCH} for a job no longer known or without an end time
		 */
		Optional<Instant> ended(String jobId);

	}

	/** Where files are stored. */
	interface Binaries {

		/**
		 * Deletes and expunges a file; nothing happens for one already gone.
		 * @param file the file
		 */
		void remove(File file);

	}

	private final Files files;

	private final Jobs jobs;

	private final Binaries binaries;

	private final Duration retention;

	private final Duration interval;

	private final Clock clock;

	private ScheduledExecutorService executor;

	ExportPurge(Files files, Jobs jobs, Binaries binaries, Duration retention, Duration interval, Clock clock) {
		this.files = files;
		this.jobs = jobs;
		this.binaries = binaries;
		this.retention = retention;
		this.interval = interval;
		this.clock = clock;
	}

	/**
	 * One pass.
	 * @param now the time the retention counts back from
	 * @return the files removed
	 */
	int purge(Instant now) {
		Instant cutoff = now.minus(this.retention);
		int removed = 0;
		List<File> page = this.files.writtenBefore(cutoff, null, PAGE_SIZE);
		while (!page.isEmpty()) {
			for (File file : page) {
				if (removable(file, cutoff)) {
					removed++;
				}
			}
			page = (page.size() < PAGE_SIZE) ? List.of()
					: this.files.writtenBefore(cutoff, page.get(page.size() - 1), PAGE_SIZE);
		}
		if (removed > 0) {
			log.info("Removed {} files of exports that ended before {}", removed, cutoff);
		}
		return removed;
	}

	/**
	 * Removes a file if its export is over, unless another server holds it.
	 * @return true if it was removed
	 */
	private boolean removable(File file, Instant cutoff) {
		Optional<Instant> ended = this.jobs.ended(file.jobId());
		if (ended.isEmpty() || !ended.get().isBefore(cutoff) || !this.files.claim(file.binaryId(), LEASE)) {
			return false;
		}
		try {
			this.binaries.remove(file);
			this.files.forget(file.binaryId());
			return true;
		}
		catch (RuntimeException ex) {
			// A resource that refers to the file keeps it (referential integrity), until
			// that reference goes.
			log.warn("Could not remove Binary/{} of export {} (retried after {}): {}", file.binaryId(), file.jobId(),
					LEASE, ex.getMessage());
			return false;
		}
	}

	private void pass() {
		try {
			purge(this.clock.instant());
		}
		catch (RuntimeException ex) {
			log.warn("Could not look for export files to remove (retried in {}): {}", this.interval, ex.getMessage());
		}
	}

	@Override
	public void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "export-purge");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.executor.scheduleWithFixedDelay(this::pass, Math.min(millis, FIRST_PASS.toMillis()), millis,
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
