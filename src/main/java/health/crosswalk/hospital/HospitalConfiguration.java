package health.crosswalk.hospital;

import java.time.Clock;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.partition.IPartitionLookupSvc;
import health.crosswalk.database.DatabaseInfo;
import health.crosswalk.database.Notifications;
import health.crosswalk.security.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class HospitalConfiguration {

	private static final Logger log = LoggerFactory.getLogger(HospitalConfiguration.class);

	static final String FIRST_ADMINISTRATOR = "No administrator API key exists yet. Make the first one with the same "
			+ "CROSSWALK_DB_* settings as the server (it may keep running): "
			+ "java -jar crosswalk.jar key create --role admin --label \"first administrator\"";

	@Bean
	HospitalRegistry hospitalRegistry(JdbcTemplate jdbc, PlatformTransactionManager transactions,
			IPartitionLookupSvc partitions, DaoRegistry daos, RegistryCache cache) {
		return new HospitalRegistry(jdbc, new TransactionTemplate(transactions),
				new HospitalFhirMirror(partitions, daos), cache);
	}

	/**
	 * The server keeps what requests read of the registry while it hears of every change;
	 * the command line reads it afresh each time, as nothing listens there.
	 */
	@Bean
	RegistryCache registryCache(ObjectProvider<Notifications> notifications) {
		RegistryCache cache = new RegistryCache(Clock.systemUTC());
		notifications.ifAvailable((listener) -> listener.subscribe(RegistryCache.CHANNEL, cache));
		return cache;
	}

	/** 1 while the server hears of the registry's changes and keeps keys in memory. */
	@Bean
	@ConditionalOnWebApplication
	MeterBinder registryListeningMetric(RegistryCache cache) {
		return (registry) -> Gauge.builder("crosswalk.registry.listening", () -> cache.isListening() ? 1 : 0)
			.description("1 while the server hears of every change to API keys and hospitals and keeps them in "
					+ "memory; 0 while it reads them from the database on every request")
			.register(registry);
	}

	@Bean
	RegistryAccess registryAccess(HospitalRegistry registry) {
		return new RegistryAccess(registry);
	}

	@Bean
	ApplicationRunner demoHospitals(HospitalRegistry registry, HospitalProperties properties, DatabaseInfo database,
			ApplicationContext context) {
		return (args) -> {
			boolean wanted = switch (properties.demoData()) {
				case ALWAYS -> true;
				case NEVER -> false;
				case AUTO -> database.isEmbedded();
			};
			if (wanted) {
				new DemoHospitals(registry).createIfEmpty(System.out);
			}
			// The server says how to make the first administrator; the command line that
			// makes it does not.
			if (context instanceof WebServerApplicationContext && !registry.hasActiveKey(Role.ADMIN)) {
				log.warn(FIRST_ADMINISTRATOR);
			}
		};
	}

}
