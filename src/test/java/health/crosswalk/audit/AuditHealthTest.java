package health.crosswalk.audit;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Readiness follows the group commit: a failed commit takes the node out of rotation
 * until a commit succeeds again.
 */
class AuditHealthTest {

	private static final AuditRow ROW = new AuditRow(UUID.randomUUID(), 0, "h", "rest", List.of("read"), 'R', 0, null,
			List.of(), List.of(), "src", "req", "{}");

	@Test
	void aFailedCommitMakesTheAuditTrailDownAndIsCounted() throws Exception {
		DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
					if (method.getName().equals("getConnection")) {
						throw new SQLException("database down");
					}
					throw new UnsupportedOperationException(method.getName());
				});
		try (GroupCommit groupCommit = new GroupCommit(down, new AuditText(), 10, Duration.ofSeconds(5))) {
			AuditHealth health = new AuditHealth(groupCommit);
			List<Boolean> commits = new CopyOnWriteArrayList<>();
			groupCommit.listen((rows, nanos, failed) -> commits.add(failed));
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);

			assertThatExceptionOfType(AuditUnavailableException.class)
				.isThrownBy(() -> groupCommit.append(List.of(ROW)));

			assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.health().getDetails()).containsEntry("reason", "the last audit commit failed");
			assertThat(commits).containsExactly(true);
			// Without traffic nothing would commit again: an old failure stops counting.
			GroupCommit.State state = groupCommit.state();
			assertThat(state.failing(state.lastFailed() + AuditHealth.FAILURE_WINDOW_MILLIS - 1,
					AuditHealth.FAILURE_WINDOW_MILLIS))
				.isTrue();
			assertThat(state.failing(state.lastFailed() + AuditHealth.FAILURE_WINDOW_MILLIS,
					AuditHealth.FAILURE_WINDOW_MILLIS))
				.isFalse();
		}
	}

}
