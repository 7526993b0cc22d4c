package health.crosswalk.migration;

import java.time.Clock;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import health.crosswalk.hospital.RegistryAccess;
import org.hl7.fhir.r4.model.Binary;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The FHIR {@code $import} operation and the worker that runs its jobs on this server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "crosswalk.import", name = "enabled", matchIfMissing = true)
class ImportConfiguration {

	@Bean
	ImportJobs importJobs(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		return new ImportJobs(jdbc, new TransactionTemplate(transactions));
	}

	@Bean
	ImportProvider importProvider(FhirContext fhirContext, ImportJobs jobs, ImportProperties properties,
			RestfulServer fhirServer) {
		ImportProvider provider = new ImportProvider(fhirContext, jobs, properties.allowedUrls(),
				properties.maxRunning());
		fhirServer.registerProvider(provider);
		return provider;
	}

	@Bean(destroyMethod = "stop")
	ImportWorker importWorker(ImportJobs jobs, DaoRegistry daos, FhirContext fhirContext, RegistryAccess registry,
			ImportProperties properties, Environment environment) {
		ImportInputs inputs = new ImportInputs(daos.getResourceDao(Binary.class), new SourceRecords(fhirContext),
				properties.maxBytes().toBytes());
		String upiSystem = environment.getProperty("crosswalk.linkage.upi-system",
				"https://fhir.crosswalk.health/sid/upi");
		return new ImportWorker(jobs, inputs, registry, Set.of(upiSystem), properties.reportRetention(),
				Clock.systemUTC());
	}

	/** The worker starts once the server listens: it writes through the server's port. */
	@Bean
	ApplicationListener<WebServerInitializedEvent> importWorkerStart(ImportWorker worker, Environment environment) {
		return (event) -> {
			if (event.getApplicationContext().getServerNamespace() != null) {
				// A management server of its own, not the FHIR API's.
				return;
			}
			String address = environment.getProperty("server.address", "");
			String host = (address.isBlank() || address.equals("0.0.0.0") || address.equals("::")) ? "127.0.0.1"
					: (address.contains(":") ? "[" + address + "]" : address);
			String contextPath = environment.getProperty("server.servlet.context-path", "");
			worker.start("http://" + host + ":" + event.getWebServer().getPort() + contextPath + "/fhir");
		};
	}

}
