package health.crosswalk.bulk;

import java.time.Instant;
import java.util.Optional;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;

/**
 * Export jobs from HAPI's Batch2 job store.
 */
final class ExportJobs implements ExportStatusHooks.Jobs, ExportPurge.Jobs {

	private final IJobCoordinator coordinator;

	ExportJobs(IJobCoordinator coordinator) {
		this.coordinator = coordinator;
	}

	@Override
	public Optional<BulkExportJobParameters> export(String jobId) {
		JobInstance instance;
		try {
			instance = this.coordinator.getInstance(jobId);
		}
		catch (ResourceNotFoundException ex) {
			return Optional.empty();
		}
		return Batch2JobDefinitionConstants.BULK_EXPORT.equals(instance.getJobDefinitionId())
				? Optional.of(instance.getParameters(BulkExportJobParameters.class)) : Optional.empty();
	}

	@Override
	public Optional<Instant> ended(String jobId) {
		JobInstance instance;
		try {
			instance = this.coordinator.getInstance(jobId);
		}
		catch (ResourceNotFoundException ex) {
			return Optional.of(Instant.EPOCH);
		}
		if (!instance.getStatus().isEnded()) {
			return Optional.empty();
		}
		return Optional.of((instance.getEndTime() != null) ? instance.getEndTime().toInstant() : Instant.EPOCH);
	}

}
