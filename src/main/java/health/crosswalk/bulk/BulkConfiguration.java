package health.crosswalk.bulk;

import java.time.Clock;
import java.time.Duration;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.partition.IPartitionLookupSvc;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.r4.model.Binary;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "crosswalk.bulk", name = "enabled", matchIfMissing = true)
class BulkConfiguration {

	/** How often each server looks for files of exports that are over. */
	static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

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
			// Every kick-off gets its own job: a reused one's files may be gone.
			storageSettings.setEnableBulkExportJobReuse(false);
			// Before the scheduler starts (when the context is refreshed), which reads it
			// once: HAPI's default of a minute is a minute per step of every export.
			if (maintenance instanceof JobMaintenanceServiceImpl hapi) {
				hapi.setScheduledJobFrequencyMillis(properties.jobStepInterval().toMillis());
			}
			fhirServer.registerProvider(hapiProvider.getObject());
		};
	}

	/**
	 * HAPI's bulk export processor, wrapped so that a patient-level export honours
	 * {@code _since} and {@code _until} ({@link PatientExportDates}).
	 */
	@Bean
	static PatientExportDatesInstaller patientExportDates() {
		return new PatientExportDatesInstaller();
	}

	/**
	 * Installs {@link PatientExportDates} first (order 0), right around HAPI's processor:
	 * other wrappers (linkage's sharing) go outside it, so their patient-level queries
	 * get their dates too. Declared with its own type, so that Spring sees its order
	 * before making it.
	 */
	static final class PatientExportDatesInstaller implements BeanPostProcessor, Ordered {

		@Override
		@SuppressWarnings("unchecked")
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			return (bean instanceof IBulkExportProcessor<?> hapi && !(bean instanceof PatientExportDates))
					? new PatientExportDates((IBulkExportProcessor<JpaPid>) hapi) : bean;
		}

		@Override
		public int getOrder() {
			return 0;
		}

	}

	@Bean
	ExportFiles exportFiles(JdbcTemplate jdbc) {
		return new ExportFiles(jdbc);
	}

	@Bean
	ExportPurge exportPurge(ExportFiles files, IJobCoordinator coordinator, DaoRegistry daos,
			BulkProperties properties) {
		return new ExportPurge(files, new ExportJobs(coordinator),
				new ExportBinaries(daos.getResourceDao(Binary.class)), properties.fileRetention(), PURGE_INTERVAL,
				Clock.systemUTC());
	}

	@Bean
	ExportHooks exportHooks(FhirContext fhirContext, MatchUrlService matchUrls, ExportFiles files,
			IJobCoordinator coordinator, BulkProperties properties, Pipeline pipeline) {
		ExportRequests requests = new ExportRequests(fhirContext.getResourceTypes(), (type, search) -> {
			try {
				matchUrls.translateMatchUrl(search, fhirContext.getResourceDefinition(type));
			}
			catch (InvalidRequestException ex) {
				throw new IllegalArgumentException(ex.getMessage(), ex);
			}
		});
		ExportHooks hooks = new ExportHooks(requests, files, new ExportJobs(coordinator), properties.maxRunning());
		pipeline.add(hooks);
		return hooks;
	}

	@Bean
	SourceHospitalTags sourceHospitalTags(IPartitionLookupSvc partitions, Pipeline pipeline) {
		SourceHospitalTags tags = new SourceHospitalTags((partitionId) -> {
			try {
				return partitions.getPartitionById(partitionId).getName();
			}
			catch (ResourceNotFoundException ex) {
				return null;
			}
		});
		pipeline.add(tags);
		return tags;
	}

	@Bean
	ExportStatusHooks exportStatusHooks(IJobCoordinator coordinator, Pipeline pipeline) {
		ExportStatusHooks hooks = new ExportStatusHooks(new ExportJobs(coordinator));
		pipeline.add(hooks);
		return hooks;
	}

}
