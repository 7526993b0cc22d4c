package health.crosswalk.bulk;

import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Answers an export's status, manifest and cancellation ({@code $export-poll-status}) to
 * its requester only, before HAPI looks the job up: anyone else, and a job id that names
 * no export, gets the same 404, so job ids reveal nothing. HAPI itself checks only the
 * partition.
 */
@Interceptor
final class ExportStatusHooks {

	static final String POLL_STATUS = "$export-poll-status";

	static final String JOB_ID = "_jobId";

	/** Export jobs by id. */
	interface Jobs {

		/**
		 * An export job's parameters.
		 * @param jobId a job id from a client
		 * @return the parameters, or empty when no export job has that id
		 */
		Optional<BulkExportJobParameters> export(String jobId);

	}

	private final Jobs jobs;

	ExportStatusHooks(Jobs jobs) {
		this.jobs = jobs;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = Pipeline.EXPORT_OWNER)
	void handling(RequestDetails request, RestOperationTypeEnum operation) {
		if (operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
				&& POLL_STATUS.equals(request.getOperation())) {
			checkOwner(Principals.of(request), jobId(request));
		}
	}

	void checkOwner(CrosswalkPrincipal principal, String jobId) {
		String owner = this.jobs.export(jobId).map(ExportOwners::ownerOf).orElse(null);
		if (owner == null || principal == null || !owner.equals(ExportOwners.of(principal))) {
			throw BulkError.NOT_YOUR_EXPORT
				.exception("No export job '" + jobId + "' started by this caller is known to the server.");
		}
	}

	/**
	 * The job a poll names, where HAPI will look for it: in the URL if it is there at all
	 * (HAPI then takes the first value and ignores the body), else in the body.
	 */
	static String jobId(RequestDetails request) {
		String[] values = request.getParameters().get(JOB_ID);
		if (values != null) {
			if (values.length == 1 && !values[0].isBlank()) {
				return values[0];
			}
			throw BulkError.NO_JOB_ID.exception("$export-poll-status needs exactly one " + JOB_ID + ".");
		}
		if (request.getResource() instanceof Parameters parameters) {
			List<String> ids = parameters.getParameter()
				.stream()
				.filter((parameter) -> JOB_ID.equals(parameter.getName()) && parameter.hasValue())
				.map((parameter) -> parameter.getValue().primitiveValue())
				.toList();
			if (ids.size() == 1 && ids.get(0) != null && !ids.get(0).isBlank()) {
				return ids.get(0);
			}
		}
		throw BulkError.NO_JOB_ID.exception("$export-poll-status needs exactly one " + JOB_ID + ".");
	}

}
