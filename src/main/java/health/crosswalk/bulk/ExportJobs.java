package health.crosswalk.bulk;

import java.time.Instant;
import java.util.Optional;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;

/**
 * Export jobs from HAPI's Batch2 job store.
 */
final class ExportJobs implements ExportStatusHooks.Jobs, ExportPurge.Jobs, ExportHooks.Running {

	/** Not-ended exports read to count a requester's: more would be a bug elsewhere. */
	static final int RUNNING_SCAN = 1000;

	private final IJobCoordinator coordinator;

	ExportJobs(IJobCoordinator coordinator) {
		this.coordinator = coordinator;
	}

	@Override
	public Optional<BulkExportJobParameters> export(String jobId) {
		return instance(jobId)
			.filter((instance) -> Batch2JobDefinitionConstants.BULK_EXPORT.equals(instance.getJobDefinitionId()))
			.map((instance) -> instance.getParameters(BulkExportJobParameters.class));
	}

	@Override
	public Optional<Instant> ended(String jobId) {
		Optional<JobInstance> found = instance(jobId);
		if (found.isEmpty()) {
			return Optional.of(Instant.EPOCH);
		}
		JobInstance instance = found.get();
		if (!instance.getStatus().isEnded()) {
			return Optional.empty();
		}
		return Optional.of((instance.getEndTime() != null) ? instance.getEndTime().toInstant() : Instant.EPOCH);
	}

	@Override
	public int of(String owner) {
		return (int) this.coordinator
			.getJobInstancesByJobDefinitionIdAndStatuses(Batch2JobDefinitionConstants.BULK_EXPORT,
					StatusEnum.getNotEndedStatuses(), RUNNING_SCAN, 0)
			.stream()
			.filter((instance) -> owner
				.equals(ExportOwners.ownerOf(instance.getParameters(BulkExportJobParameters.class))))
			.count();
	}

	private Optional<JobInstance> instance(String jobId) {
		try {
			return Optional.of(this.coordinator.getInstance(jobId));
		}
		catch (ResourceNotFoundException ex) {
			return Optional.empty();
		}
	}

}
