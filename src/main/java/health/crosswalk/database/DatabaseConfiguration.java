package health.crosswalk.database;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	@Bean
	CrosswalkDataSource dataSource(DatabaseProperties properties) {
		return CrosswalkDataSource.create(properties);
	}

	@Bean
	DatabaseInfo databaseInfo(CrosswalkDataSource dataSource) {
		return dataSource::isEmbedded;
	}

	@Bean
	SchemaOwner schemaOwner(CrosswalkDataSource dataSource) {
		return new SchemaOwner() {

			@Override
			public DataSource dataSource() {
				return dataSource.migrations();
			}

			@Override
			public void grantApplicationRole() {
				dataSource.grantApplicationRole();
			}

		};
	}

	@Bean
	SessionConnections sessionConnections(CrosswalkDataSource dataSource) {
		return dataSource::session;
	}

	/**
	 * The server's one listening session, for what capabilities keep in memory; the
	 * command line keeps nothing, so nothing listens there.
	 */
	@Bean
	@ConditionalOnWebApplication
	Notifications notifications(SessionConnections sessions) {
		return new Notifications(sessions);
	}

	/**
	 * Crosswalk's Flyway migrations run on the schema owner's connections, like HAPI's.
	 */
	@Bean
	FlywayConfigurationCustomizer flywayRunsAsSchemaOwner(SchemaOwner owner) {
		return (configuration) -> configuration.dataSource(owner.dataSource());
	}

	@Bean
	io.micrometer.core.instrument.binder.MeterBinder replicaPoolMetrics(CrosswalkDataSource dataSource) {
		return dataSource::bindReplicaMetrics;
	}

	@Bean
	HealthIndicator poolHealthIndicator(HikariDataSource dataSource) {
		return new PoolHealthIndicator(dataSource);
	}

	/**
	 * The read replica, as {@code replica} in {@code /actuator/health}: always UP (the
	 * primary answers its reads while it fails, so the node is healthy), with where
	 * routed reads go and why in its details.
	 */
	@Bean
	@ConditionalOnProperty(prefix = "crosswalk.db", name = "replica-url")
	HealthIndicator replicaHealthIndicator(CrosswalkDataSource dataSource) {
		return () -> {
			ReplicaFallback fallback = dataSource.replicaFallback();
			if (fallback == null) {
				return Health.unknown().build();
			}
			Health.Builder health = Health.up();
			String failure = fallback.failure();
			if (failure == null) {
				health.withDetail("reads", "replica");
			}
			else {
				health.withDetail("reads", "primary").withDetail("replicaFailure", failure);
			}
			return health.withDetail("readsAnsweredByPrimary", fallback.toPrimary()).build();
		};
	}

}
