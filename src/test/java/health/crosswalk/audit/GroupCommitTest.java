package health.crosswalk.audit;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The group commit's thread outlives a failed batch, whatever failed it.
 */
class GroupCommitTest {

	private static final AuditRow ROW = new AuditRow(UUID.randomUUID(), 0, "h", "rest", List.of("read"), 'R', 0, null,
			List.of(), List.of(), "src", "req", "{}");

	@Test
	void anErrorFailsOnlyItsOwnBatch() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		DataSource failing = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
					if (method.getName().equals("getConnection")) {
						if (calls.incrementAndGet() == 1) {
							throw new OutOfMemoryError("simulated");
						}
						throw new SQLException("database down");
					}
					throw new UnsupportedOperationException(method.getName());
				});
		try (GroupCommit commit = new GroupCommit(failing, new AuditText(), 10, Duration.ofSeconds(5))) {
			CompletableFuture<Void> first = commit.submit(List.of(ROW));
			assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(OutOfMemoryError.class);
			// The thread is still there: the next batch is
			// tried, and fails for its own reason.
			CompletableFuture<Void> second = commit.submit(List.of(ROW));
			assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(SQLException.class);
			assertThat(calls).hasValue(2);
		}
	}

}
