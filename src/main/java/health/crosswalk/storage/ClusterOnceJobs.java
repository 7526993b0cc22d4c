package health.crosswalk.storage;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import ca.uhn.fhir.jpa.sched.AutowiringSpringBeanJobFactory;
import ca.uhn.fhir.jpa.sched.HapiSchedulerServiceImpl;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * HAPI's job factory, making each firing of a clustered job (those HAPI schedules with
 * {@code scheduleClusteredJob}: Batch2 maintenance, stale-search deletion, reindexing,
 * ...) claim the job in {@code crosswalk.scheduled_job_lease} first. HAPI's "clustered"
 * scheduler is an in-memory Quartz on each server; with the claim, servers sharing the
 * database run each such job on one server at a time, about once per interval between
 * them. A server's own claim renews and lasts an interval past each run; another's blocks
 * until it runs out (so a run longer than its interval can overlap another server's), a
 * server that dies hands its jobs over within about one interval, and one that stops
 * gives its claims up. Local jobs, manual triggers and the reduction job (it drains each
 * server's own queue) run as HAPI schedules them.
 */
final class ClusterOnceJobs extends AutowiringSpringBeanJobFactory implements DisposableBean {

	/** The claims of clustered jobs. */
	interface Leases {

		/**
		 * Claims a job for an interval, unless another server holds it.
		 * @param job the job's key
		 * @param node this server
		 * @param interval how long the claim holds
		 * @return true if this server runs the job now
		 */
		boolean claim(String job, String node, Duration interval);

		/**
		 * Extends this server's claim by an interval from now, after a run.
		 * @param job the job's key
		 * @param node this server
		 * @param interval how long the claim holds
		 */
		void ran(String job, String node, Duration interval);

		/**
		 * Gives up this server's claims (it is stopping).
		 * @param node this server
		 */
		void release(String node);

	}

	private static final Logger log = LoggerFactory.getLogger(ClusterOnceJobs.class);

	/** The worker threads of HAPI's clustered scheduler. */
	static final String CLUSTERED_THREADS = HapiSchedulerServiceImpl.THREAD_NAME_PREFIX + "-clustered";

	/** The job that drains each server's own queue of reductions, run on every server. */
	static final String PER_SERVER_JOB = "ReductionStepExecutor";

	private static final Map<String, Instant> WARNED = new ConcurrentHashMap<>();

	private final Supplier<Leases> leases;

	private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/"
			+ UUID.randomUUID().toString().substring(0, 8);

	ClusterOnceJobs(Supplier<Leases> leases) {
		this.leases = leases;
	}

	@Override
	public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
		Job job = super.newJob(bundle, scheduler);
		String key = bundle.getJobDetail().getKey().toString();
		long interval = (bundle.getTrigger() instanceof SimpleTrigger simple) ? simple.getRepeatInterval() : 0;
		if (interval <= 0 || key.contains(PER_SERVER_JOB)) {
			// A manual trigger (HAPI's triggerJobImmediately) asks this server to run the
			// job now; the reduction job drains this server's own queue.
			return job;
		}
		return once(job, key, Duration.ofMillis(Math.max(interval, 1000)), this.leases, this.node);
	}

	/**
	 * Gives up this server's claims as it stops, so that another server takes its jobs up
	 * at their next firing.
	 */
	@Override
	public void destroy() {
		try {
			this.leases.get().release(this.node);
		}
		catch (RuntimeException ex) {
			log.debug("Could not release this server's job claims (they run out within an interval): {}",
					ex.toString());
		}
	}

	/**
	 * A job that runs on a clustered scheduler's thread only when this server claims it,
	 * and keeps its claim for an interval after the run. When the claims cannot be read
	 * (the database unreachable), it runs, as HAPI would.
	 */
	static Job once(Job job, String key, Duration interval, Supplier<Leases> leases, String node) {
		return (context) -> {
			if (!Thread.currentThread().getName().startsWith(CLUSTERED_THREADS)) {
				job.execute(context);
				return;
			}
			boolean mine;
			try {
				mine = leases.get().claim(key, node, interval);
			}
			catch (RuntimeException ex) {
				warn(key, ex);
				mine = true;
			}
			if (!mine) {
				return;
			}
			try {
				job.execute(context);
			}
			finally {
				try {
					leases.get().ran(key, node, interval);
				}
				catch (RuntimeException ex) {
					warn(key, ex);
				}
			}
		};
	}

	private static void warn(String key, RuntimeException ex) {
		Instant now = Instant.now();
		Instant last = WARNED.get(key);
		if (last == null || last.isBefore(now.minus(Duration.ofMinutes(1)))) {
			WARNED.put(key, now);
			log.warn("Could not claim or extend HAPI's clustered job {} in crosswalk.scheduled_job_lease; it runs "
					+ "here unclaimed: {}", key, ex.toString());
		}
	}

	/** The claims, in {@code crosswalk.scheduled_job_lease}: one statement each. */
	static Leases leases(JdbcTemplate jdbc) {
		return new Leases() {

			@Override
			public boolean claim(String job, String node, Duration interval) {
				return !jdbc
					.queryForList("INSERT INTO crosswalk.scheduled_job_lease (job, node, until, runs) "
							+ "VALUES (?, ?, now() + make_interval(secs => ?), 1) ON CONFLICT (job) DO UPDATE SET "
							+ "node = EXCLUDED.node, until = EXCLUDED.until, runs = scheduled_job_lease.runs + 1 "
							+ "WHERE scheduled_job_lease.until <= now() OR scheduled_job_lease.node = EXCLUDED.node "
							+ "RETURNING node", String.class, job, node, interval.toMillis() / 1000.0)
					.isEmpty();
			}

			@Override
			public void ran(String job, String node, Duration interval) {
				jdbc.update("UPDATE crosswalk.scheduled_job_lease SET until = now() + make_interval(secs => ?) "
						+ "WHERE job = ? AND node = ?", interval.toMillis() / 1000.0, job, node);
			}

			@Override
			public void release(String node) {
				jdbc.update("DELETE FROM crosswalk.scheduled_job_lease WHERE node = ?", node);
			}

		};
	}

}
