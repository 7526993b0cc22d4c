package health.crosswalk.database;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicaFallbackTest {

	private static final Connection REPLICA = connection();

	private static final Connection PRIMARY = connection();

	private Instant now = Instant.parse("2026-12-04T10:00:00Z");

	private final Clock clock = new Clock() {

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return ReplicaFallbackTest.this.now;
		}

	};

	@Test
	void readsGoToThePrimaryForAWhileAfterTheReplicaFailsThenBack() throws SQLException {
		ReplicaFallback fallback = new ReplicaFallback(this.clock);
		AtomicInteger tries = new AtomicInteger();
		boolean[] down = { false };
		ReplicaFallback.Pool replica = () -> {
			tries.incrementAndGet();
			if (down[0]) {
				throw new SQLTransientConnectionException("crosswalk-replica - Connection is not available");
			}
			return REPLICA;
		};
		assertThat(fallback.connect(replica, () -> PRIMARY)).isSameAs(REPLICA);
		assertThat(fallback.failure()).isNull();

		down[0] = true;
		assertThat(fallback.connect(replica, () -> PRIMARY)).isSameAs(PRIMARY);
		assertThat(fallback.failure()).contains("not available");
		// Not tried again during the pause: no read waits for it.
		this.now = this.now.plus(ReplicaFallback.PAUSE).minusSeconds(1);
		assertThat(fallback.connect(replica, () -> PRIMARY)).isSameAs(PRIMARY);
		assertThat(tries).hasValue(2);
		assertThat(fallback.toPrimary()).isEqualTo(2);

		// After the pause one read probes it; a read meanwhile stays on the primary.
		down[0] = false;
		this.now = this.now.plusSeconds(1);
		Connection[] during = new Connection[1];
		assertThat(fallback.connect(() -> {
			during[0] = fallback.connect(replica, () -> PRIMARY);
			return replica.connection();
		}, () -> PRIMARY)).isSameAs(REPLICA);
		assertThat(during[0]).isSameAs(PRIMARY);
		assertThat(fallback.failure()).isNull();
		assertThat(tries).hasValue(3);
		assertThat(fallback.connect(replica, () -> PRIMARY)).isSameAs(REPLICA);
	}

	@Test
	void aPoolClosedAtShutdownIsNotAFailingReplica() {
		ReplicaFallback fallback = new ReplicaFallback(this.clock);
		assertThatThrownBy(() -> fallback.connect(() -> {
			throw new SQLException("HikariDataSource HikariDataSource (crosswalk-replica) has been closed.");
		}, () -> PRIMARY)).isInstanceOf(SQLException.class);
		assertThat(fallback.failure()).isNull();
		assertThat(fallback.toPrimary()).isZero();
	}

	private static Connection connection() {
		return (Connection) Proxy.newProxyInstance(ReplicaFallbackTest.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> null);
	}

}
