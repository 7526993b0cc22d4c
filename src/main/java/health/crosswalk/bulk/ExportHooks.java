package health.crosswalk.bulk;

import java.util.Objects;

import ca.uhn.fhir.batch2.api.IJobInstance;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Extension;

/**
 * Storage hooks of Bulk Data export: an export's parameters are checked and its requester
 * recorded as it starts, its files are shown to that requester only, and no client writes
 * a file of an export. Internal requests (HAPI's export job writing the files) pass.
 */
@Interceptor
final class ExportHooks {

	/** Where the files of exports are registered, to be removed when they are over. */
	interface Files {

		/**
		 * Registers a file, in the transaction that stores it.
		 * @param binaryId the file's Binary id
		 * @param partitionId its partition (null: the default partition)
		 * @param jobId its export's job
		 */
		void written(String binaryId, Integer partitionId, String jobId);

	}

	/** The exports not ended yet. */
	interface Running {

		/**
		 * Exports of a requester that are queued or running.
		 * @param owner the requester, as {@link ExportOwners#of} names it
		 * @return how many
		 */
		int of(String owner);

	}

	private final ExportRequests requests;

	private final Files files;

	private final Running running;

	private final int maxRunning;

	ExportHooks(ExportRequests requests, Files files, Running running, int maxRunning) {
		this.requests = requests;
		this.files = files;
		this.running = running;
		this.maxRunning = maxRunning;
	}

	@Hook(value = Pointcut.STORAGE_INITIATE_BULK_EXPORT, order = Pipeline.EXPORT_OWNER)
	void initiating(BulkExportJobParameters parameters, RequestDetails request) {
		this.requests.check(parameters);
		CrosswalkPrincipal principal = Principals.of(request);
		if (principal == null) {
			return;
		}
		if (!ExportOwners.canOwn(principal)) {
			throw BulkError.NO_OWNER.exception("This access token has no subject (sub), so its export could not be "
					+ "told from other callers'.");
		}
		// Each export is a job of the server's: a requester has a bounded number at once.
		int running = this.running.of(ExportOwners.of(principal));
		if (running >= this.maxRunning) {
			throw BulkError.TOO_MANY_EXPORTS
				.exception("You have " + running + " exports queued or running, as many as one requester may have.");
		}
		ExportOwners.stamp(parameters, principal);
	}

	/**
	 * HAPI's export job asks the partition of its internal requests, which Crosswalk
	 * answers with the default partition unless they name one: each request of an export
	 * job names the partition the export was started in, where its files are written. A
	 * network export is started in every partition: HAPI writes its files in the default
	 * partition.
	 */
	@Hook(value = Pointcut.STORAGE_BATCH_TASK_NEW_REQUEST_DETAILS, order = Pipeline.EXPORT_OWNER)
	void jobRequest(IJobInstance instance, RequestDetails request) {
		if (instance instanceof JobInstance job && request instanceof SystemRequestDetails internal
				&& Batch2JobDefinitionConstants.BULK_EXPORT.equals(job.getJobDefinitionId())) {
			internal
				.setRequestPartitionId(job.getParameters(BulkExportJobParameters.class).getPartitionIdForSecurity());
		}
	}

	/**
	 * A file of someone else's export: a read of it is refused with the same 404 as a
	 * poll of their export, and a search or history leaves it out.
	 */
	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = Pipeline.EXPORT_OWNER)
	void showing(IPreResourceShowDetails resources, RequestDetails request) {
		if (Principals.isInternal(request)) {
			return;
		}
		for (int i = 0; i < resources.size(); i++) {
			// Every response passes here: only export files need the caller.
			String owner = ExportOwners.ownerOf(resources.getResource(i));
			if (owner == null) {
				continue;
			}
			// An export's file holds every type: its owner reads it with the scope
			// that started the export.
			CrosswalkPrincipal principal = Principals.of(request);
			if (principal != null && owner.equals(ExportOwners.of(principal)) && principal.scopes().permitsAll('r')) {
				continue;
			}
			if (request.getRestOperationType() == RestOperationTypeEnum.READ
					|| request.getRestOperationType() == RestOperationTypeEnum.VREAD) {
				throw BulkError.NOT_YOUR_EXPORT.exception("This file belongs to an export another caller started, or "
						+ "reading it needs a read scope on every type.");
			}
			resources.setResource(i, null);
		}
	}

	/**
	 * A file HAPI's export job stores is registered in the same transaction: no file is
	 * left behind that the purge does not know.
	 */
	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.EXPORT_OWNER)
	void created(IBaseResource resource, RequestDetails request) {
		if (!(resource instanceof Binary binary) || ExportOwners.ownerOf(binary) == null
				|| !Principals.isInternal(request)) {
			return;
		}
		Extension job = binary.getMeta().getExtensionByUrl(JpaConstants.BULK_META_EXTENSION_JOB_ID);
		RequestPartitionId partition = (request instanceof SystemRequestDetails internal)
				? internal.getRequestPartitionId() : null;
		this.files.written(binary.getIdElement().getIdPart(),
				(partition != null) ? partition.getFirstPartitionIdOrNull() : null,
				(job != null) ? job.getValue().primitiveValue() : "unknown");
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = Pipeline.EXPORT_OWNER)
	void creating(IBaseResource resource, RequestDetails request) {
		refuseClientWrite(request, resource, null);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = Pipeline.EXPORT_OWNER)
	void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		refuseClientWrite(request, resource, previous);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = Pipeline.EXPORT_OWNER)
	void deleting(IBaseResource resource, RequestDetails request) {
		refuseClientWrite(request, resource, null);
	}

	private static void refuseClientWrite(RequestDetails request, IBaseResource resource, IBaseResource previous) {
		if (Principals.isInternal(request)) {
			return;
		}
		if (ExportOwners.ownerOf(resource) != null || (previous != null && ExportOwners.ownerOf(previous) != null)) {
			throw BulkError.EXPORT_FILE_READ_ONLY.exception("Binary/"
					+ Objects.toString(resource.getIdElement().getIdPart(), "")
					+ " is, or would be, a file of a Bulk Data export (securityContext " + ExportOwners.SYSTEM + ").");
		}
	}

}
