package health.crosswalk.linkage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.bulk.export.model.ExportPIDIteratorParameters;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import com.google.common.collect.Iterators;
import com.google.common.collect.Lists;
import health.crosswalk.linkage.LinkStore.Linked;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Sharing in Bulk Data: a hospital's {@code Patient/$export} and
 * {@code Group/[id]/$export} also hold the records linked to the same UPIs at other
 * hospitals, as its {@code Patient/[id]/$everything} does. Wraps HAPI's
 * {@link IBulkExportProcessor}: the ids HAPI's export job fetches for one resource type
 * of a work package in a hospital's partition are followed by the ids of that type in the
 * Patient compartments of the linked records elsewhere, fetched by HAPI's own
 * patient-level query in each record's partition, with the export's {@code _type},
 * {@code _since}, {@code _until} and {@code _typeFilter}. The Practitioners and
 * Organizations a group-level export adds are found from the linked Patients by HAPI's
 * group-level query, which is how it finds the hospital's own. HAPI's job then reads each
 * resource in its own partition and writes it into the export's files; the bulk
 * capability's inclusion hook tags every resource from another partition with its source
 * hospital. System-level exports (a hospital's whole partition, or a network exporter's
 * every partition) are left as HAPI makes them, and so is a group-level export filtered
 * by {@code Patient?} ({@code _typeFilter}): HAPI applies that filter to the group's
 * members before it fetches anything, which the linked records would escape.
 *
 * <p>
 * Links are read when the job fetches a work package (kept a minute while it fetches that
 * package's types): a record unlinked after that stays in files already written, which
 * the export's requester alone may read. Before a work package's linked records are read,
 * the audit trail records one AuditEvent per patient disclosed (a
 * {@code server.JobDisclosure} event); if it cannot, the job fails. Patient-level queries
 * get their dates from the bulk capability's wrapper, which this one wraps
 * ({@link #ORDER}).
 */
final class SharedExportRecords implements IBulkExportProcessor<JpaPid> {

	/** Patients per query of a linked hospital's records. */
	static final int PATIENTS_PER_QUERY = 500;

	/** Work packages whose links are kept while HAPI fetches their types. */
	private static final int RECENT_WORK_PACKAGES = 32;

	/** How long a work package's links are kept. */
	private static final long LINKS_KEPT_NANOS = 60_000_000_000L;

	/**
	 * The order of the bean post-processor that installs this wrapper: after the bulk
	 * capability's ({@code PatientExportDates}, order 0), so that this one is outside it
	 * and every patient-level query, the linked ones too, passes through it and gets its
	 * dates.
	 */
	static final int ORDER = 10;

	/**
	 * The types HAPI's group-level export finds from its patients rather than
	 * compartments.
	 */
	private static final Set<String> FOUND_FROM_PATIENTS = Set.of("Practitioner", "Organization");

	/** The records linked elsewhere. */
	interface Links {

		/**
		 * @param partitionId a hospital's partition
		 * @param patientIds its records to follow (ids without type), or null for all
		 * @return the records linked to the same UPIs at other hospitals
		 */
		List<Linked> elsewhere(int partitionId, List<String> patientIds);

	}

	/** Where the records an export reads elsewhere are told, before it reads them. */
	interface Disclosure {

		/**
		 * @param job the export's job id
		 * @param partitionId the partition of the hospital that exports
		 * @param records the linked records its files will hold
		 */
		void disclosed(String job, int partitionId, List<Linked> records);

	}

	private final IBulkExportProcessor<JpaPid> hapi;

	private final Links links;

	private final Disclosure disclosure;

	/** The links of the work packages fetched last, the oldest forgotten first. */
	private final Map<String, Known> recent = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
			return size() > RECENT_WORK_PACKAGES;
		}

	};

	/** A work package's links, and when they were read. */
	private record Known(Map<Integer, List<String>> elsewhere, long readAt) {
	}

	SharedExportRecords(IBulkExportProcessor<JpaPid> hapi, Links links, Disclosure disclosure) {
		this.hapi = hapi;
		this.links = links;
		this.disclosure = disclosure;
	}

	@Override
	public Iterator<JpaPid> getResourcePidIterator(ExportPIDIteratorParameters parameters) {
		Iterator<JpaPid> own = this.hapi.getResourcePidIterator(parameters);
		if (!shares(parameters)) {
			return own;
		}
		Integer partitionId = hospitalPartition(parameters.getPartitionIdOrAllPartitions());
		if (partitionId == null) {
			return own;
		}
		List<ExportPIDIteratorParameters> queries = new ArrayList<>();
		elsewhere(parameters, partitionId).forEach((partition, ids) -> Lists.partition(ids, PATIENTS_PER_QUERY)
			.forEach((chunk) -> queries.add(linked(parameters, partition, chunk))));
		// Each query runs when the job reaches it, in a read-only transaction of its own.
		return Iterators.concat(own,
				Iterators.concat(Iterators.transform(queries.iterator(), this.hapi::getResourcePidIterator)));
	}

	/**
	 * The linked records of a work package's patients, by partition: read once per work
	 * package, whose types HAPI fetches one after another.
	 */
	private Map<Integer, List<String>> elsewhere(ExportPIDIteratorParameters parameters, int partitionId) {
		List<String> patients = patientsOf(parameters);
		String workPackage = parameters.getInstanceId() + "|" + parameters.getChunkId() + "|" + partitionId + "|"
				+ ((patients != null) ? patients.size() + ":" + patients.hashCode() : "all");
		synchronized (this.recent) {
			Known known = this.recent.get(workPackage);
			if (known != null && System.nanoTime() - known.readAt() < LINKS_KEPT_NANOS) {
				return known.elsewhere();
			}
		}
		List<Linked> linked = this.links.elsewhere(partitionId, patients);
		// On the audit trail before any of them is read, a query's worth at a time: one
		// audit commit stays small however many patients a hospital shares.
		for (List<Linked> some : Lists.partition(linked, PATIENTS_PER_QUERY)) {
			this.disclosure.disclosed(parameters.getInstanceId(), partitionId, some);
		}
		Map<Integer, List<String>> elsewhere = new LinkedHashMap<>();
		for (Linked record : linked) {
			elsewhere.computeIfAbsent(record.record().partitionId(), (key) -> new ArrayList<>())
				.add("Patient/" + record.record().patientId());
		}
		synchronized (this.recent) {
			this.recent.put(workPackage, new Known(elsewhere, System.nanoTime()));
		}
		return elsewhere;
	}

	/**
	 * Whether sharing applies to a work package: one of a patient-level export, or the
	 * patients of a group-level one (not system-level exports, not the package of the
	 * Group resource itself).
	 */
	private static boolean shares(ExportPIDIteratorParameters parameters) {
		ExportStyle style = parameters.getExportStyle();
		boolean patients = parameters.getPatientIds() != null && !parameters.getPatientIds().isEmpty();
		boolean membersFiltered = parameters.getFilters() != null
				&& parameters.getFilters().stream().anyMatch((filter) -> filter.startsWith("Patient?"));
		return style == ExportStyle.PATIENT || (style == ExportStyle.GROUP && patients && !membersFiltered
				&& !"Group".equals(parameters.getResourceType()));
	}

	/**
	 * The hospital records a work package follows, ids without type: null for every
	 * patient of the partition (a type-level {@code Patient/$export}).
	 */
	private static List<String> patientsOf(ExportPIDIteratorParameters parameters) {
		List<String> ids = parameters.getPatientIds();
		if (ids == null || ids.isEmpty()) {
			return null;
		}
		return ids.stream().map((id) -> id.startsWith("Patient/") ? id.substring("Patient/".length()) : id).toList();
	}

	/** The one hospital partition an export's work package reads, else null. */
	private static Integer hospitalPartition(RequestPartitionId partition) {
		if (partition == null || partition.isAllPartitions() || !partition.hasPartitionIds()
				|| partition.isDefaultPartition() || partition.getPartitionIds().size() != 1) {
			return null;
		}
		return partition.getFirstPartitionIdOrNull();
	}

	private static ExportPIDIteratorParameters linked(ExportPIDIteratorParameters parameters, int partitionId,
			List<String> patientIds) {
		RequestPartitionId partition = RequestPartitionId.fromPartitionId(partitionId);
		ExportPIDIteratorParameters linked = new ExportPIDIteratorParameters();
		linked.setRequestDetails(new SystemRequestDetails().setRequestPartitionId(partition));
		linked.setInstanceId(parameters.getInstanceId());
		linked.setChunkId(parameters.getChunkId());
		linked.setResourceType(parameters.getResourceType());
		linked.setRequestedResourceTypes(parameters.getRequestedResourceTypes());
		linked.setFilters(parameters.getFilters());
		linked.setStartDate(parameters.getStartDate());
		linked.setEndDate(parameters.getEndDate());
		// The compartments of the linked patients, by HAPI's patient-level query; only
		// the Practitioners and Organizations of a group-level export by its group-level
		// one, which finds them from the patients (its other types also follow every
		// reference of what it finds, into other patients' records).
		boolean fromPatients = parameters.getExportStyle() == ExportStyle.GROUP
				&& FOUND_FROM_PATIENTS.contains(parameters.getResourceType());
		linked.setExportStyle(fromPatients ? ExportStyle.GROUP : ExportStyle.PATIENT);
		linked.setGroupId(parameters.getGroupId());
		linked.setPatientIds(List.copyOf(patientIds));
		if (!fromPatients) {
			linked.setExpandedPatientIdsForPatientExport(Set.copyOf(patientIds));
		}
		linked.setExpandMdm(false);
		linked.setPartitionId(partition);
		return linked;
	}

	@Override
	public void expandMdmResources(List<IBaseResource> resources) {
		this.hapi.expandMdmResources(resources);
	}

	@Override
	public Set<String> getPatientSetForGroupExport(ExportPIDIteratorParameters parameters) {
		return this.hapi.getPatientSetForGroupExport(parameters);
	}

	@Override
	public Set<String> getPatientSetForPatientExport(ExportPIDIteratorParameters parameters) {
		return this.hapi.getPatientSetForPatientExport(parameters);
	}

}
