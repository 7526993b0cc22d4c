package health.crosswalk.audit;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Who commits: the request that waits for its rows, or the request that leads while it
 * waits; rows no request waits for, the sweeper. A failed batch, whatever failed it,
 * fails only its own rows. The database here is a data source that refuses every
 * connection: what is asserted is who asked for one, and how often.
 */
class GroupCommitTest {

	private static final AuditRow ROW = new AuditRow(UUID.randomUUID(), 0, "h", "rest", List.of("read"), 'R', 0, null,
			List.of(), List.of(), "src", "req", "{}");

	@Test
	void anErrorFailsOnlyItsOwnBatch() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		DataSource failing = refusing((call) -> {
			if (calls.incrementAndGet() == 1) {
				throw new OutOfMemoryError("simulated");
			}
		});
		try (GroupCommit commit = new GroupCommit(failing, new AuditText(), 10, Duration.ofSeconds(5))) {
			CompletableFuture<Void> first = commit.submit(List.of(ROW));
			assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(OutOfMemoryError.class);
			// The sweeper lives on: the next batch is tried, and fails on its own.
			CompletableFuture<Void> second = commit.submit(List.of(ROW));
			assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(SQLException.class);
			assertThat(calls).hasValue(2);
			assertThat(commit.state().alive()).isTrue();
		}
	}

	@Test
	void theRequestThatWaitsCommitsItsOwnRows() throws Exception {
		List<String> committers = new CopyOnWriteArrayList<>();
		DataSource refusing = refusing((call) -> committers.add(Thread.currentThread().getName()));
		try (GroupCommit commit = new GroupCommit(refusing, new AuditText(), 10, Duration.ofSeconds(5))) {
			assertThatExceptionOfType(AuditUnavailableException.class).isThrownBy(() -> commit.append(List.of(ROW)));
			assertThat(committers).containsExactly(Thread.currentThread().getName());
		}
	}

	@Test
	void rowsNoRequestWaitsForAreCommittedByTheSweeper() throws Exception {
		List<String> committers = new CopyOnWriteArrayList<>();
		DataSource refusing = refusing((call) -> committers.add(Thread.currentThread().getName()));
		try (GroupCommit commit = new GroupCommit(refusing, new AuditText(), 10, Duration.ofSeconds(5))) {
			long start = System.nanoTime();
			CompletableFuture<Void> unwaited = commit.submit(List.of(ROW));
			assertThatThrownBy(() -> unwaited.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
			assertThat(System.nanoTime() - start).as("not before they waited a sweep interval")
				.isGreaterThanOrEqualTo(GroupCommit.SWEEP_NANOS);
			assertThat(committers).containsExactly("audit-group-commit-sweeper");
		}
	}

	@Test
	void requestsQueuedWhileOneCommitsAreCommittedTogetherByTheNextLeader() throws Exception {
		CountDownLatch firstIn = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		DataSource slowFirst = refusing((call) -> {
			if (calls.incrementAndGet() == 1) {
				firstIn.countDown();
				release.await(30, TimeUnit.SECONDS);
			}
		});
		ExecutorService requests = Executors.newFixedThreadPool(5);
		try (GroupCommit commit = new GroupCommit(slowFirst, new AuditText(), 10, Duration.ofSeconds(30))) {
			List<Future<?>> waiting = new ArrayList<>();
			waiting.add(requests.submit(() -> commit.append(List.of(ROW))));
			assertThat(firstIn.await(30, TimeUnit.SECONDS)).isTrue();
			for (int i = 0; i < 4; i++) {
				waiting.add(requests.submit(() -> commit.append(List.of(ROW))));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> commit.state().queued() == 4);
			release.countDown();
			for (Future<?> request : waiting) {
				assertThatThrownBy(() -> request.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
					.hasCauseInstanceOf(AuditUnavailableException.class);
			}
			assertThat(calls).as("one commit for the first request, one for the four queued behind it").hasValue(2);
		}
		finally {
			requests.shutdownNow();
		}
	}

	/** What a connection request does before it is refused. */
	private interface BeforeRefusal {

		void run(Object[] args) throws Exception;

	}

	private DataSource refusing(BeforeRefusal before) {
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				(proxy, method, args) -> {
					if (method.getName().equals("getConnection")) {
						before.run(args);
						throw new SQLException("database down");
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}

}
