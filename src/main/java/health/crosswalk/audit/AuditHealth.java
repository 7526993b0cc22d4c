package health.crosswalk.audit;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The audit trail's health, in the readiness group: DOWN while it cannot commit (its last
 * commit failed less than 30 seconds ago and none succeeded since, its queue is nearly
 * full, or its thread is gone), so a load balancer stops sending requests this node would
 * answer 503 CW-AUD-001. Only requests commit audit records, so a failure stops counting
 * after 30 seconds and the traffic that comes back probes the trail again.
 */
final class AuditHealth extends AbstractHealthIndicator {

	/** Share of the queue in use from which the node reports itself not ready. */
	static final double FULL = 0.9;

	/**
	 * How long a failed commit keeps the node out of readiness, without a success since.
	 */
	static final long FAILURE_WINDOW_MILLIS = 30_000;

	private final GroupCommit groupCommit;

	AuditHealth(GroupCommit groupCommit) {
		super("Audit trail check failed");
		this.groupCommit = groupCommit;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		GroupCommit.State state = this.groupCommit.state();
		builder.withDetail("queued", state.queued()).withDetail("capacity", state.capacity());
		if (state.lastFailure() != null) {
			builder.withDetail("lastFailure", state.lastFailure());
		}
		if (!state.alive()) {
			builder.down().withDetail("reason", "the group commit has stopped");
		}
		else if (state.failing(System.currentTimeMillis(), FAILURE_WINDOW_MILLIS)) {
			builder.down().withDetail("reason", "the last audit commit failed");
		}
		else if (state.queued() >= FULL * state.capacity()) {
			builder.down().withDetail("reason", "the audit queue is nearly full");
		}
		else {
			builder.up();
		}
	}

}
