package health.crosswalk.audit;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The audit trail's meters: the group commit's queue and latency, failed commits, and how
 * far the sealer is behind.
 */
final class AuditMetrics {

	private AuditMetrics() {
	}

	static void bind(MeterRegistry registry, GroupCommit groupCommit) {
		Gauge.builder("crosswalk.audit.queue.depth", () -> groupCommit.state().queued())
			.description("Audit commits waiting for the group commit")
			.register(registry);
		Timer commits = Timer.builder("crosswalk.audit.commit")
			.description("Group commits of audit records, each a database transaction")
			.publishPercentileHistogram()
			.register(registry);
		Counter records = Counter.builder("crosswalk.audit.records")
			.description("Audit records committed by the group commit")
			.register(registry);
		Counter failures = Counter.builder("crosswalk.audit.commit.failures")
			.description("Group commits that failed; their requests were answered 503 CW-AUD-001")
			.register(registry);
		groupCommit.listen((rows, nanos, failed) -> {
			commits.record(nanos, TimeUnit.NANOSECONDS);
			if (failed) {
				failures.increment();
			}
			else {
				records.increment(rows);
			}
		});
	}

	static void bind(MeterRegistry registry, AuditMaintenance maintenance) {
		Gauge.builder("crosswalk.audit.seal.age", () -> {
			long last = maintenance.lastSealed();
			return (last == 0) ? Double.NaN : (System.currentTimeMillis() - last) / 1000.0;
		})
			.description("Seconds since the start of the sealer's last completed pass: every audit record "
					+ "committed before then is sealed")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("crosswalk.audit.sealed.last.pass", maintenance::sealedLastPass)
			.description("Audit records the sealer's last pass sealed")
			.register(registry);
	}

}
