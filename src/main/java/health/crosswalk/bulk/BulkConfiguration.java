package health.crosswalk.bulk;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.crosswalk.server.Pipeline;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "crosswalk.bulk", name = "enabled", matchIfMissing = true)
class BulkConfiguration {

	/**
	 * HAPI's own Bulk Data export operations (its lazy bean), on its Batch2 jobs, with
	 * the file size and retention of this capability's settings.
	 */
	@Bean
	SmartInitializingSingleton bulkExportOperations(ObjectProvider<BulkDataExportProvider> hapiProvider,
			RestfulServer fhirServer, JpaStorageSettings storageSettings, IJobMaintenanceService maintenance,
			BulkProperties properties) {
		return () -> {
			storageSettings.setBulkExportFileMaximumCapacity(properties.fileMaxResources());
			storageSettings.setBulkExportFileRetentionPeriodHours((int) properties.fileRetention().toHours());
			// Before the scheduler starts (when the context is refreshed), which reads it
			// once: HAPI's default of a minute is a minute per step of every export.
			if (maintenance instanceof JobMaintenanceServiceImpl hapi) {
				hapi.setScheduledJobFrequencyMillis(properties.jobStepInterval().toMillis());
			}
			fhirServer.registerProvider(hapiProvider.getObject());
		};
	}

	@Bean
	ExportHooks exportHooks(FhirContext fhirContext, MatchUrlService matchUrls, Pipeline pipeline) {
		ExportRequests requests = new ExportRequests(fhirContext.getResourceTypes(), (type, search) -> {
			try {
				matchUrls.translateMatchUrl(search, fhirContext.getResourceDefinition(type));
			}
			catch (InvalidRequestException ex) {
				throw new IllegalArgumentException(ex.getMessage(), ex);
			}
		});
		ExportHooks hooks = new ExportHooks(requests);
		pipeline.add(hooks);
		return hooks;
	}

	@Bean
	ExportStatusHooks exportStatusHooks(IJobCoordinator coordinator, Pipeline pipeline) {
		ExportStatusHooks hooks = new ExportStatusHooks(new ExportJobs(coordinator));
		pipeline.add(hooks);
		return hooks;
	}

}
