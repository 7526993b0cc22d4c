package health.crosswalk.linkage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.bulk.export.model.ExportPIDIteratorParameters;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import health.crosswalk.linkage.LinkStore.Linked;
import health.crosswalk.linkage.LinkStore.RecordRef;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedExportRecordsTest {

	private final List<ExportPIDIteratorParameters> asked = new ArrayList<>();

	private final List<Object[]> linksAsked = new ArrayList<>();

	/** HAPI's processor: one id per query, in the query's partition. */
	private final IBulkExportProcessor<JpaPid> hapi = new IBulkExportProcessor<>() {

		@Override
		public Iterator<JpaPid> getResourcePidIterator(ExportPIDIteratorParameters parameters) {
			SharedExportRecordsTest.this.asked.add(parameters);
			return List.of(JpaPid.fromId((long) SharedExportRecordsTest.this.asked.size(),
					parameters.getPartitionIdOrAllPartitions().getFirstPartitionIdOrNull()))
				.iterator();
		}

		@Override
		public void expandMdmResources(List<IBaseResource> resources) {
		}

		@Override
		public Set<String> getPatientSetForGroupExport(ExportPIDIteratorParameters parameters) {
			return Set.of();
		}

		@Override
		public Set<String> getPatientSetForPatientExport(ExportPIDIteratorParameters parameters) {
			return Set.of();
		}

	};

	private final List<String> disclosed = new ArrayList<>();

	private final SharedExportRecords shared = new SharedExportRecords(this.hapi, (partitionId, patientIds) -> {
		this.linksAsked.add(new Object[] { partitionId, patientIds });
		List<Linked> linked = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			linked.add(new Linked(new RecordRef(7, "b" + i), "seven"));
		}
		linked.add(new Linked(new RecordRef(9, "c1"), "nine"));
		return linked;
	}, (job, partitionId, records) -> this.disclosed.add(job + "|" + partitionId + "|" + records.size()));

	@Test
	void aPatientExportOfAHospitalIsFollowedByItsLinkedRecordsInTheirOwnPartitionsWithItsFilters() {
		ExportPIDIteratorParameters parameters = parameters(ExportStyle.PATIENT, RequestPartitionId.fromPartitionId(3),
				null, "Observation");

		List<JpaPid> pids = new ArrayList<>();
		this.shared.getResourcePidIterator(parameters).forEachRemaining(pids::add);

		assertThat(this.linksAsked).singleElement().satisfies((asked) -> {
			assertThat(asked[0]).isEqualTo(3);
			assertThat(asked[1]).as("every patient of the partition").isNull();
		});
		// The hospital's own query, then 500 + 100 records of partition 7 and 1 of 9.
		assertThat(pids).extracting(JpaPid::getPartitionId).containsExactly(3, 7, 7, 9);
		List<ExportPIDIteratorParameters> linked = this.asked.subList(1, 4);
		assertThat(linked).extracting((each) -> each.getPatientIds().size()).containsExactly(500, 100, 1);
		assertThat(linked).allSatisfy((each) -> {
			assertThat(each.getExportStyle()).isEqualTo(ExportStyle.PATIENT);
			assertThat(each.getResourceType()).isEqualTo("Observation");
			assertThat(each.getFilters()).containsExactly("Observation?status=final");
			assertThat(each.getStartDate()).isEqualTo(parameters.getStartDate());
			assertThat(each.isExpandMdm()).isFalse();
			assertThat(each.getRequestDetails().getRequestPartitionId())
				.isEqualTo(each.getPartitionIdOrAllPartitions());
		});
		assertThat(linked.get(2).getPatientIds()).containsExactly("Patient/c1");
		assertThat(linked.get(2).getPartitionIdOrAllPartitions().getFirstPartitionIdOrNull()).isEqualTo(9);
	}

	@Test
	void aGroupsMembersAreFollowedByTheirLinkedRecordsButNotTheGroupItself() {
		List<JpaPid> pids = new ArrayList<>();
		this.shared
			.getResourcePidIterator(parameters(ExportStyle.GROUP, RequestPartitionId.fromPartitionId(3),
					List.of("Patient/a1", "Patient/a2"), "Patient"))
			.forEachRemaining(pids::add);
		assertThat(this.linksAsked).singleElement()
			.satisfies((asked) -> assertThat(asked[1]).isEqualTo(List.of("a1", "a2")));
		assertThat(pids).hasSize(4);
		assertThat(this.asked.subList(1, 4)).extracting(ExportPIDIteratorParameters::getExportStyle)
			.as("the linked patients' compartments")
			.containsOnly(ExportStyle.PATIENT);

		this.asked.clear();
		this.shared
			.getResourcePidIterator(parameters(ExportStyle.GROUP, RequestPartitionId.fromPartitionId(3),
					List.of("Patient/a1", "Patient/a2"), "Practitioner"))
			.forEachRemaining(pids::add);
		assertThat(this.asked.subList(1, 4)).allSatisfy((each) -> {
			assertThat(each.getExportStyle()).as("found from the patients, as HAPI finds its own")
				.isEqualTo(ExportStyle.GROUP);
			assertThat(each.getGroupId()).isEqualTo("Group/g1");
		});

		this.linksAsked.clear();
		ExportPIDIteratorParameters filtered = parameters(ExportStyle.GROUP, RequestPartitionId.fromPartitionId(3),
				List.of("Patient/a1"), "Observation");
		filtered.setFilters(List.of("Patient?gender=female"));
		assertThat(this.shared.getResourcePidIterator(filtered)).as("members filtered: no linked records")
			.toIterable()
			.hasSize(1);
		assertThat(this.linksAsked).isEmpty();

		this.linksAsked.clear();
		assertThat(this.shared.getResourcePidIterator(
				parameters(ExportStyle.GROUP, RequestPartitionId.fromPartitionId(3), List.of("Patient/a1"), "Group")))
			.toIterable()
			.hasSize(1);
		assertThat(this.linksAsked).isEmpty();
	}

	@Test
	void theLinksOfAWorkPackageAreReadAndToldOnceForAllItsTypes() {
		for (String type : List.of("Patient", "Observation", "Condition")) {
			this.shared
				.getResourcePidIterator(
						parameters(ExportStyle.PATIENT, RequestPartitionId.fromPartitionId(3), null, type))
				.forEachRemaining((pid) -> {
				});
		}
		assertThat(this.linksAsked).hasSize(1);
		assertThat(this.disclosed).as("told before any is read, a query's worth at a time")
			.containsExactly("job1|3|500", "job1|3|101");
	}

	@Test
	void systemExportsAndExportsOfEveryPartitionAreLeftAsHapiMakesThem() {
		for (ExportPIDIteratorParameters parameters : List.of(
				parameters(ExportStyle.SYSTEM, RequestPartitionId.fromPartitionId(3), null, "Patient"),
				parameters(ExportStyle.PATIENT, RequestPartitionId.allPartitions(), null, "Patient"),
				parameters(ExportStyle.PATIENT, RequestPartitionId.defaultPartition(), null, "Patient"), parameters(
						ExportStyle.PATIENT, RequestPartitionId.fromPartitionNames("named-only"), null, "Patient"))) {
			assertThat(this.shared.getResourcePidIterator(parameters)).toIterable().hasSize(1);
		}
		assertThat(this.linksAsked).isEmpty();
		assertThat(this.disclosed).isEmpty();
	}

	private static ExportPIDIteratorParameters parameters(ExportStyle style, RequestPartitionId partition,
			List<String> patients, String type) {
		ExportPIDIteratorParameters parameters = new ExportPIDIteratorParameters();
		parameters.setExportStyle(style);
		parameters.setPartitionId(partition);
		parameters.setPatientIds(patients);
		parameters.setResourceType(type);
		parameters.setFilters(List.of("Observation?status=final"));
		parameters.setStartDate(new java.util.Date(1_700_000_000_000L));
		parameters.setInstanceId("job1");
		parameters.setChunkId("chunk1");
		if (style == ExportStyle.GROUP) {
			parameters.setGroupId("Group/g1");
		}
		return parameters;
	}

}
