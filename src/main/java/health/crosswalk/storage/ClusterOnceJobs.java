package health.crosswalk.storage;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
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

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * HAPI's job factory, making each firing of a clustered job (those HAPI schedules with
 * {@code scheduleClusteredJob}: Batch2 maintenance, reductions, stale-search deletion,
 * reindexing, ...) claim the job for one interval in
 * {@code crosswalk.scheduled_job_lease} first. HAPI's "clustered" scheduler is an
 * in-memory Quartz on each server; with the claim, servers sharing the database run each
 * such job once per interval between them. A server's own claim renews; another's blocks
 * until it runs out, so a server that dies hands its jobs over within one interval. Local
 * jobs run as HAPI schedules them.
 */
final class ClusterOnceJobs extends AutowiringSpringBeanJobFactory {

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

	}

	private static final Logger log = LoggerFactory.getLogger(ClusterOnceJobs.class);

	/** The worker threads of HAPI's clustered scheduler. */
	static final String CLUSTERED_THREADS = HapiSchedulerServiceImpl.THREAD_NAME_PREFIX + "-clustered";

	private final Supplier<Leases> leases;

	private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/"
			+ UUID.randomUUID().toString().substring(0, 8);

	ClusterOnceJobs(Supplier<Leases> leases) {
		this.leases = leases;
	}

	@Override
	public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
		Job job = super.newJob(bundle, scheduler);
		long interval = (bundle.getTrigger() instanceof SimpleTrigger simple) ? simple.getRepeatInterval() : 0;
		return once(job, bundle.getJobDetail().getKey().toString(), Duration.ofMillis(Math.max(interval, 1000)),
				this.leases, this.node);
	}

	/**
	 * A job that runs on a clustered scheduler's thread only when this server claims it.
	 */
	static Job once(Job job, String key, Duration interval, Supplier<Leases> leases, String node) {
		return (context) -> {
			if (Thread.currentThread().getName().startsWith(CLUSTERED_THREADS)) {
				boolean mine;
				try {
					mine = leases.get().claim(key, node, interval);
				}
				catch (RuntimeException ex) {
					log.debug("Could not claim clustered job {}; this firing is skipped: {}", key, ex.toString());
					return;
				}
				if (!mine) {
					return;
				}
			}
			job.execute(context);
		};
	}

	/** The claims, in {@code crosswalk.scheduled_job_lease}: one statement each. */
	static Leases leases(JdbcTemplate jdbc) {
		return (job, node,
				interval) -> !jdbc
					.queryForList("INSERT INTO crosswalk.scheduled_job_lease (job, node, until, runs) "
							+ "VALUES (?, ?, now() + make_interval(secs => ?), 1) ON CONFLICT (job) DO UPDATE SET "
							+ "node = EXCLUDED.node, until = EXCLUDED.until, runs = scheduled_job_lease.runs + 1 "
							+ "WHERE scheduled_job_lease.until <= now() OR scheduled_job_lease.node = EXCLUDED.node "
							+ "RETURNING node", String.class, job, node, interval.toMillis() / 1000.0)
					.isEmpty();
	}

}
