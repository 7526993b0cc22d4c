package health.crosswalk.replica;

import java.util.Map;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests a replica may answer: reads, and searches that store nothing.
 */
class ReplicaReadsTest {

	private final ReplicaReads offset = new ReplicaReads(true);

	@Test
	void readsAndOffsetPagedSearchesGoToTheReplica() {
		assertThat(this.offset.replicaMayAnswer(request(RestOperationTypeEnum.READ, Map.of()))).isTrue();
		assertThat(this.offset.replicaMayAnswer(request(RestOperationTypeEnum.VREAD, Map.of()))).isTrue();
		assertThat(this.offset
			.replicaMayAnswer(request(RestOperationTypeEnum.SEARCH_TYPE, Map.of("_count", new String[] { "20" }))))
			.isTrue();
	}

	@Test
	void writesStoredPagesCountsAndNoCacheStayOnThePrimary() {
		for (RestOperationTypeEnum operation : new RestOperationTypeEnum[] { RestOperationTypeEnum.CREATE,
				RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.DELETE, RestOperationTypeEnum.TRANSACTION,
				RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, RestOperationTypeEnum.HISTORY_INSTANCE,
				RestOperationTypeEnum.GET_PAGE, RestOperationTypeEnum.SEARCH_SYSTEM }) {
			assertThat(this.offset.replicaMayAnswer(request(operation, Map.of()))).as(operation.name()).isFalse();
		}
		assertThat(this.offset
			.replicaMayAnswer(request(RestOperationTypeEnum.SEARCH_TYPE, Map.of("_count", new String[] { "0" }))))
			.isFalse();
		assertThat(new ReplicaReads(false).replicaMayAnswer(request(RestOperationTypeEnum.SEARCH_TYPE, Map.of())))
			.as("stored searches write their pages")
			.isFalse();
		SystemRequestDetails fresh = request(RestOperationTypeEnum.READ, Map.of());
		fresh.addHeader("Cache-Control", "no-cache");
		assertThat(this.offset.replicaMayAnswer(fresh)).isFalse();
	}

	@Test
	void patientsAndExportFilesStayOnThePrimary() {
		SystemRequestDetails patient = request(RestOperationTypeEnum.READ, Map.of());
		patient.setResourceName("Patient");
		assertThat(this.offset.replicaMayAnswer(patient)).as("links and sharing end with an unlink, at once").isFalse();
		SystemRequestDetails binary = request(RestOperationTypeEnum.READ, Map.of());
		binary.setResourceName("Binary");
		assertThat(this.offset.replicaMayAnswer(binary)).isFalse();
		assertThat(this.offset
			.replicaMayAnswer(request(RestOperationTypeEnum.SEARCH_TYPE, Map.of("_count", new String[] { "00" }))))
			.as("a count alone, however written")
			.isFalse();
		assertThat(this.offset.replicaMayAnswer(
				request(RestOperationTypeEnum.SEARCH_TYPE, Map.of("_include", new String[] { "Observation:subject" }))))
			.as("an included Patient")
			.isFalse();
	}

	private static SystemRequestDetails request(RestOperationTypeEnum operation, Map<String, String[]> parameters) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setResourceName("Observation");
		request.setRestOperationType(operation);
		request.setParameters(new java.util.HashMap<>(parameters));
		return request;
	}

}
