package health.crosswalk.migration;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.crosswalk.hospital.RegistryAccess;
import health.crosswalk.migration.SourceRecords.SourceRecord;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code $import} jobs, one at a time on each server: claims the oldest waiting job
 * (or one whose server stopped extending its claim), reads its files, and writes their
 * records with {@link FhirImport} through this server's own FHIR API on loopback, with a
 * {@code hospital-system} key of the requester's hospital issued for the job and revoked
 * at its end. Every record thus meets the pipeline of a client's write.
 */
final class ImportWorker {

	private static final Logger log = LoggerFactory.getLogger(ImportWorker.class);

	/** How long a claim holds unless extended. */
	static final Duration LEASE = Duration.ofMinutes(2);

	/**
	 * How often a running job's claim is extended and its cancellation looked for: a
	 * cancelled job stops within this and its current transaction.
	 */
	static final Duration HEARTBEAT = Duration.ofSeconds(5);

	/** How long the job's key works unless extended with the claim. */
	static final Duration KEY_LIFETIME = Duration.ofMinutes(30);

	/** How often each server looks for a waiting job. */
	static final Duration POLL = Duration.ofSeconds(2);

	/** The most records not imported that a job's report lists one by one. */
	static final int LISTED = 10_000;

	/** How long a stopping server waits for its job to reach a step where it stops. */
	static final Duration STOP_WAIT = Duration.ofSeconds(20);

	/** Retries of a transaction the server answered 429 or 503 (busy). */
	static final int BUSY_RETRIES = 20;

	/** Reads the files of a job. */
	interface Files {

		/**
		 * @param partitionId the requester's hospital's partition
		 * @param owner the requester
		 * @param inputs the files
		 * @param going false once the job should stop reading
		 * @return each file's records, by its url
		 */
		Map<String, List<SourceRecord>> read(int partitionId, String owner, List<ImportRequest.Input> inputs,
				java.util.function.BooleanSupplier going);

	}

	private final ImportJobs jobs;

	private final Files inputs;

	private final RegistryAccess registry;

	private final Set<String> serverSystems;

	private final Duration retention;

	private final Clock clock;

	private final String node;

	private final AtomicReference<RegistryAccess.Key> currentKey = new AtomicReference<>();

	private final AtomicReference<AtomicBoolean> currentGoing = new AtomicReference<>();

	private volatile boolean stopping;

	private volatile FhirContext fhir;

	private volatile String baseUrl;

	private ScheduledExecutorService worker;

	private ScheduledExecutorService heartbeat;

	ImportWorker(ImportJobs jobs, Files inputs, RegistryAccess registry, Set<String> serverSystems, Duration retention,
			Clock clock) {
		this.jobs = jobs;
		this.inputs = inputs;
		this.registry = registry;
		this.serverSystems = serverSystems;
		this.retention = retention;
		this.clock = clock;
		this.node = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Starts working once the server listens.
	 * @param baseUrl the server's FHIR base on loopback
	 */
	synchronized void start(String baseUrl) {
		if (this.worker != null) {
			return;
		}
		this.baseUrl = baseUrl;
		this.worker = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "import-worker"));
		this.heartbeat = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "import-heartbeat"));
		this.worker.scheduleWithFixedDelay(this::pass, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
		log.info("$import jobs run on this server through {}", baseUrl);
	}

	/**
	 * Stops working: the running job stops at its next step and is handed over (its claim
	 * released, not ended), so that another server runs it again.
	 */
	void stop() {
		ScheduledExecutorService running;
		synchronized (this) {
			if (this.worker == null) {
				return;
			}
			this.stopping = true;
			running = this.worker;
			this.worker = null;
		}
		AtomicBoolean going = this.currentGoing.get();
		if (going != null) {
			going.set(false);
		}
		running.shutdownNow();
		try {
			if (!running.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
				log.warn("The $import worker did not stop within {}; its job's claim runs out instead", STOP_WAIT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.heartbeat.shutdownNow();
		RegistryAccess.Key key = this.currentKey.getAndSet(null);
		if (key != null) {
			revoke(key);
		}
	}

	private void pass() {
		try {
			this.jobs.forgetEndedBefore(this.clock.instant().minus(this.retention));
			if (this.stopping) {
				return;
			}
			Optional<ImportJobs.Job> job = this.jobs.claim(this.node, LEASE);
			job.ifPresent(this::run);
		}
		catch (RuntimeException ex) {
			log.warn("The $import worker's pass failed; it tries again in {}: {}", POLL, ex.toString());
		}
	}

	/**
	 * Runs a claimed job to its end, or until this server stops.
	 * @param job the job
	 */
	void run(ImportJobs.Job job) {
		AtomicBoolean going = new AtomicBoolean(true);
		this.currentGoing.set(going);
		AtomicReference<String> progress = new AtomicReference<>();
		ScheduledFuture<?> beat = this.heartbeat.scheduleWithFixedDelay(() -> {
			try {
				if (!this.jobs.extend(job.id(), this.node, LEASE, progress.get())) {
					// Cancelled, or no longer this server's: stop before the next write.
					going.set(false);
				}
				RegistryAccess.Key key = this.currentKey.get();
				if (key != null) {
					this.registry.extend(key.keyId(), KEY_LIFETIME);
				}
			}
			catch (RuntimeException ex) {
				log.warn("Could not extend $import job {}: {}", job.id(), ex.toString());
			}
		}, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
		log.info("$import job {} of {} started", job.id(), job.owner());
		try {
			ImportReport report = importFiles(job, going, progress);
			if (this.stopping) {
				this.jobs.release(job.id(), this.node);
				log.info("$import job {} handed over: this server is stopping", job.id());
				return;
			}
			ImportJobs.Status status = (report.stoppedBecause() != null) ? ImportJobs.Status.FAILED
					: ImportJobs.Status.COMPLETED;
			if (!this.jobs.end(job.id(), this.node, status, report.json(LISTED), report.stoppedBecause())) {
				log.warn("$import job {} was taken over by another server before it ended here", job.id());
			}
			log.info("$import job {} ended", job.id());
		}
		catch (RuntimeException ex) {
			if (this.stopping) {
				this.jobs.release(job.id(), this.node);
				return;
			}
			log.error("$import job {} failed", job.id(), ex);
			this.jobs.end(job.id(), this.node, ImportJobs.Status.FAILED, null,
					ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		finally {
			beat.cancel(false);
			this.currentGoing.set(null);
		}
	}

	private ImportReport importFiles(ImportJobs.Job job, AtomicBoolean going, AtomicReference<String> progress) {
		if (!this.registry.isActive(job.hospital())) {
			throw new IllegalStateException("Hospital '" + job.hospital() + "' is suspended or no longer registered.");
		}
		String requesterKey = CrosswalkPrincipal.apiKeyOf(job.owner());
		if (requesterKey != null && !this.registry.works(requesterKey)) {
			throw new IllegalStateException(
					"The API key that started the import, " + requesterKey + ", was revoked or has expired.");
		}
		Map<String, List<SourceRecord>> files = this.inputs.read(job.partitionId(), job.owner(),
				ImportRequest.inputs(job.inputs()), going::get);
		if (!going.get()) {
			throw new IllegalStateException("the job was cancelled or handed over before it wrote anything");
		}
		RegistryAccess.Key key = this.registry.issue(job.hospital(), Role.HOSPITAL_SYSTEM,
				ImportCommandLine.WRITE_SCOPES, label(job), KEY_LIFETIME);
		this.currentKey.set(key);
		try {
			HttpServer server = new HttpServer(fhir(), this.baseUrl, key.secret());
			FhirImport engine = new FhirImport(fhir(), waitingOutBusy(server, going), job.source(), this.serverSystems,
					ImportCommandLine.CHUNK, progress::set);
			return engine.run(job.hospital(), job.source(), files, Map.of(), false);
		}
		finally {
			if (this.currentKey.compareAndSet(key, null)) {
				revoke(key);
			}
		}
	}

	/**
	 * The label of a job's key, as key lists and the audit trail show it: within the
	 * registry's 200 characters, however long the requester's name.
	 */
	static String label(ImportJobs.Job job) {
		String label = "$import " + job.id() + " for " + job.owner();
		return (label.length() <= 200) ? label : label.substring(0, 199) + "…";
	}

	/**
	 * The server, waiting out its busy answers (a hospital's fair share, a full pool) as
	 * long as the job goes on.
	 */
	static FhirImport.Server waitingOutBusy(FhirImport.Server server, AtomicBoolean going) {
		return (transaction) -> {
			long wait = 500;
			for (int attempt = 0;; attempt++) {
				if (!going.get()) {
					throw new IllegalStateException("the job was cancelled or handed over to another server");
				}
				try {
					return server.transaction(transaction);
				}
				catch (BaseServerResponseException ex) {
					boolean busy = ex.getStatusCode() == 429 || ex.getStatusCode() == 503;
					if (!busy || attempt >= BUSY_RETRIES || !going.get()) {
						throw ex;
					}
				}
				sleep(wait);
				wait = Math.min(wait * 2, 30_000);
			}
		};
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("the server is stopping");
		}
	}

	private FhirContext fhir() {
		FhirContext context = this.fhir;
		if (context == null) {
			// A context of its own: the client's timeout must not change the server's.
			context = FhirContext.forR4();
			context.getRestfulClientFactory().setSocketTimeout((int) Duration.ofMinutes(15).toMillis());
			this.fhir = context;
		}
		return context;
	}

	private void revoke(RegistryAccess.Key key) {
		try {
			this.registry.revoke(key.keyId());
		}
		catch (RuntimeException ex) {
			log.warn("Could not revoke key {} of an $import job (it expires within {}): {}", key.keyId(), KEY_LIFETIME,
					ex.toString());
		}
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
