package health.crosswalk.database;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.actuate.health.HealthIndicator;
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
	HealthIndicator poolHealthIndicator(HikariDataSource dataSource) {
		return new PoolHealthIndicator(dataSource);
	}

}
