package health.crosswalk.database;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Reports the connection pool: down when closed, with its occupancy as details.
 * Connectivity itself is checked by Spring Boot's {@code db} indicator.
 */
final class PoolHealthIndicator extends AbstractHealthIndicator {

	private final HikariDataSource dataSource;

	PoolHealthIndicator(HikariDataSource dataSource) {
		super("Connection pool check failed");
		this.dataSource = dataSource;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		HikariPoolMXBean pool = this.dataSource.getHikariPoolMXBean();
		if (this.dataSource.isClosed() || pool == null) {
			builder.down().withDetail("reason", "pool closed");
			return;
		}
		builder.up()
			.withDetail("max", this.dataSource.getMaximumPoolSize())
			.withDetail("active", pool.getActiveConnections())
			.withDetail("idle", pool.getIdleConnections())
			.withDetail("waiting", pool.getThreadsAwaitingConnection());
	}

}
