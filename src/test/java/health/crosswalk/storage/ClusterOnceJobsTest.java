package health.crosswalk.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.quartz.Job;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clustered job of HAPI's runs on a server only when that server claims it; a local job
 * runs as scheduled.
 */
class ClusterOnceJobsTest {

	@Test
	void aClusteredJobRunsOnlyWhenThisServerClaimsIt() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		Job job = (context) -> runs.incrementAndGet();
		List<String> claims = new ArrayList<>();
		boolean[] granted = { true };
		ClusterOnceJobs.Leases leases = new ClusterOnceJobs.Leases() {

			@Override
			public boolean claim(String key, String node, Duration interval) {
				claims.add(key + " " + node + " " + interval);
				return granted[0];
			}

			@Override
			public void ran(String key, String node, Duration interval) {
				claims.add("ran " + key);
			}

			@Override
			public void release(String node) {
			}

		};
		Job once = ClusterOnceJobs.once(job, "HAPI.maintenance", Duration.ofSeconds(5), () -> leases, "node-a");

		onThread(ClusterOnceJobs.CLUSTERED_THREADS + "_Worker-1", once);
		granted[0] = false;
		onThread(ClusterOnceJobs.CLUSTERED_THREADS + "_Worker-2", once);
		assertThat(runs).hasValue(1);
		// The run keeps its claim for an interval from its end.
		assertThat(claims).containsExactly("HAPI.maintenance node-a PT5S", "ran HAPI.maintenance",
				"HAPI.maintenance node-a PT5S");

		// A local job claims nothing.
		onThread("hapi-fhir-jpa-scheduler-local_Worker-1", once);
		assertThat(runs).hasValue(2);
		assertThat(claims).hasSize(3);

		// Claims that cannot be read leave the job to run, as HAPI would.
		Job unclaimable = ClusterOnceJobs.once(job, "HAPI.maintenance", Duration.ofSeconds(5), () -> {
			throw new IllegalStateException("no database");
		}, "node-a");
		onThread(ClusterOnceJobs.CLUSTERED_THREADS + "_Worker-3", unclaimable);
		assertThat(runs).hasValue(3);
	}

	private static void onThread(String name, Job job) throws Exception {
		Exception[] failure = new Exception[1];
		Thread thread = new Thread(() -> {
			try {
				job.execute(null);
			}
			catch (Exception ex) {
				failure[0] = ex;
			}
		}, name);
		thread.start();
		thread.join();
		if (failure[0] != null) {
			throw failure[0];
		}
	}

}
