package health.crosswalk.hospital;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.partition.IPartitionLookupSvc;
import health.crosswalk.database.DatabaseInfo;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class HospitalConfiguration {

	@Bean
	HospitalRegistry hospitalRegistry(JdbcTemplate jdbc, PlatformTransactionManager transactions,
			IPartitionLookupSvc partitions, DaoRegistry daos) {
		return new HospitalRegistry(jdbc, new TransactionTemplate(transactions),
				new HospitalFhirMirror(partitions, daos));
	}

	@Bean
	ApplicationRunner demoHospitals(HospitalRegistry registry, HospitalProperties properties, DatabaseInfo database) {
		return (args) -> {
			boolean wanted = switch (properties.demoData()) {
				case ALWAYS -> true;
				case NEVER -> false;
				case AUTO -> database.isEmbedded();
			};
			if (wanted) {
				new DemoHospitals(registry).createIfEmpty(System.out);
			}
		};
	}

}
