package health.crosswalk.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SimplePreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import health.crosswalk.security.SmartScopes;
import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The export hooks on HAPI's own request and show-details types, without a server.
 */
class ExportHooksTest {

	private static final CrosswalkPrincipal REQUESTER = new CrosswalkPrincipal("key-1", Role.HOSPITAL_SYSTEM,
			new HospitalRef("general", 7, true, "1"), SmartScopes.parse("system/*.cruds"), "api-key");

	private static final CrosswalkPrincipal COLLEAGUE = new CrosswalkPrincipal("key-2", Role.HOSPITAL_SYSTEM,
			new HospitalRef("general", 7, true, "1"), SmartScopes.parse("system/*.cruds"), "api-key");

	private final List<String> registered = new ArrayList<>();

	private final ExportHooks hooks = new ExportHooks(new ExportRequests(Set.of("Patient"), (type, search) -> {
	}), (binaryId, partitionId, jobId) -> this.registered.add(binaryId + " " + partitionId + " " + jobId),
			(owner) -> this.running.getOrDefault(owner, 0), 2);

	private final java.util.Map<String, Integer> running = new java.util.HashMap<>();

	private static ServletRequestDetails request(CrosswalkPrincipal principal, RestOperationTypeEnum operation) {
		ServletRequestDetails request = new ServletRequestDetails();
		request.setRestOperationType(operation);
		request.getUserData().put(CrosswalkPrincipal.class.getName(), principal);
		return request;
	}

	private static Binary fileOf(CrosswalkPrincipal owner) {
		Binary file = new Binary();
		file.setId("Binary/f-" + owner.subject());
		file.setSecurityContext(new Reference()
			.setIdentifier(new Identifier().setSystem(ExportOwners.SYSTEM).setValue(ExportOwners.of(owner))));
		return file;
	}

	@Test
	void aSearchLeavesOutOtherRequestersFilesAndAReadOfOneIsNotFound() {
		Binary mine = fileOf(REQUESTER);
		Binary theirs = fileOf(COLLEAGUE);
		Patient patient = new Patient();
		SimplePreResourceShowDetails shown = new SimplePreResourceShowDetails(List.of(mine, theirs, patient));
		this.hooks.showing(shown, request(REQUESTER, RestOperationTypeEnum.SEARCH_TYPE));
		assertThat(shown.getAllResources()).containsExactly(mine, patient);

		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.hooks.showing(new SimplePreResourceShowDetails(theirs),
					request(REQUESTER, RestOperationTypeEnum.READ)))
			.satisfies((refused) -> assertThat(refused.error()).isEqualTo(BulkError.NOT_YOUR_EXPORT));
		assertThatCode(() -> this.hooks.showing(new SimplePreResourceShowDetails(mine),
				request(REQUESTER, RestOperationTypeEnum.READ)))
			.doesNotThrowAnyException();
	}

	@Test
	void onlyTheServerWritesExportFiles() {
		for (IBaseResource file : List.of(fileOf(REQUESTER), fileOf(COLLEAGUE))) {
			assertThatExceptionOfType(CrosswalkException.class)
				.isThrownBy(() -> this.hooks.creating(file, request(REQUESTER, RestOperationTypeEnum.CREATE)))
				.satisfies((refused) -> assertThat(refused.error()).isEqualTo(BulkError.EXPORT_FILE_READ_ONLY));
			assertThatExceptionOfType(CrosswalkException.class).isThrownBy(
					() -> this.hooks.updating(file, new Binary(), request(REQUESTER, RestOperationTypeEnum.UPDATE)));
			assertThatExceptionOfType(CrosswalkException.class)
				.isThrownBy(() -> this.hooks.deleting(file, request(REQUESTER, RestOperationTypeEnum.DELETE)));
			assertThatCode(() -> this.hooks.creating(file, new SystemRequestDetails())).doesNotThrowAnyException();
		}
		assertThatCode(() -> this.hooks.creating(new Binary(), request(REQUESTER, RestOperationTypeEnum.CREATE)))
			.doesNotThrowAnyException();
	}

	@Test
	void anExportRecordsItsRequesterAndItsJobWorksInItsPartition() {
		BulkExportJobParameters parameters = new BulkExportJobParameters();
		parameters.setPartitionIdForSecurity(RequestPartitionId.fromPartitionIdAndName(7, "general"));
		this.hooks.initiating(parameters, request(REQUESTER, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER));
		assertThat(ExportOwners.ownerOf(parameters)).isEqualTo("general/api-key/key-1");

		JobInstance job = new JobInstance();
		job.setJobDefinitionId(Batch2JobDefinitionConstants.BULK_EXPORT);
		job.setParameters(parameters);
		SystemRequestDetails internal = new SystemRequestDetails();
		this.hooks.jobRequest(job, internal);
		assertThat(internal.getRequestPartitionId().getFirstPartitionIdOrNull()).isEqualTo(7);

		JobInstance reindex = new JobInstance();
		reindex.setJobDefinitionId("REINDEX");
		SystemRequestDetails other = new SystemRequestDetails();
		this.hooks.jobRequest(reindex, other);
		assertThat(other.getRequestPartitionId()).isNull();
	}

	@Test
	void theFilesTheJobStoresAreRegisteredWithTheirPartitionAndJob() {
		Binary file = fileOf(REQUESTER);
		file.getMeta().addExtension(JpaConstants.BULK_META_EXTENSION_JOB_ID, new StringType("job-1"));
		SystemRequestDetails job = new SystemRequestDetails();
		job.setRequestPartitionId(RequestPartitionId.fromPartitionId(7));
		this.hooks.created(file, job);
		// A Binary that is no export file, and a client's write, are not.
		this.hooks.created(new Binary(), job);
		this.hooks.created(file, request(REQUESTER, RestOperationTypeEnum.CREATE));
		this.hooks.created(fileOf(COLLEAGUE), new SystemRequestDetails());
		assertThat(this.registered).containsExactly("f-key-1 7 job-1", "f-key-2 null unknown");
	}

	@Test
	void aRequesterWithAsManyExportsRunningAsItMayHaveIsRefusedAnother() {
		this.running.put("general/api-key/key-1", 2);
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.hooks.initiating(new BulkExportJobParameters(),
					request(REQUESTER, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER)))
			.satisfies((refused) -> assertThat(refused.error()).isEqualTo(BulkError.TOO_MANY_EXPORTS));
		assertThatCode(() -> this.hooks.initiating(new BulkExportJobParameters(),
				request(COLLEAGUE, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER)))
			.doesNotThrowAnyException();
	}

}
