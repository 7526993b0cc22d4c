package health.crosswalk.linkage;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDaoPatient;
import ca.uhn.fhir.jpa.api.dao.PatientEverythingParameters;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Sharing: {@code Patient/[id]/$everything} by a caller of the patient's hospital also
 * returns the records linked to the same UPI at other hospitals, each tagged with its
 * source hospital, on the first page. They are read when asked for, from the link store
 * (never stored across partitions), within the caller's scopes; a record a steward
 * unlinks is no longer shared from the next request on. Hooks
 * {@code SERVER_OUTGOING_RESPONSE} on the RestfulServer.
 */
@Interceptor
final class SharingHooks {

	/**
	 * Tag system marking a shared resource with the slug of the hospital it comes from.
	 */
	static final String SOURCE_HOSPITAL = HospitalDirectory.SOURCE_HOSPITAL_TAG;

	private static final int MAX_PER_RECORD = 1000;

	private final LinkStore store;

	private final DaoRegistry daos;

	private final Map<Integer, String> slugCache = new java.util.concurrent.ConcurrentHashMap<>();

	SharingHooks(LinkStore store, DaoRegistry daos) {
		this.store = store;
		this.daos = daos;
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = Pipeline.LINKAGE)
	boolean outgoing(RequestDetails request, ResponseDetails response) {
		if (!(response.getResponseResource() instanceof Bundle bundle)
				|| request.getParameters().containsKey(Constants.PARAM_PAGINGACTION) || isLaterPage(request)) {
			return true;
		}
		if (request.getRestOperationType() == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
				&& "$everything".equals(request.getOperation()) && "Patient".equals(request.getResourceName())) {
			share(request, bundle);
		}
		else if (request.getUserData().get(UpiSearchHooks.UPI_SEARCH) instanceof UUID upi) {
			sharePatients(request, bundle, upi);
		}
		return true;
	}

	/**
	 * A page after the first of an offset-paged search: shared records come with the
	 * first page only.
	 */
	private static boolean isLaterPage(RequestDetails request) {
		String[] offset = request.getParameters().get(Constants.PARAM_OFFSET);
		return offset != null && offset.length > 0 && !"0".equals(offset[0]);
	}

	/**
	 * A search by UPI: add the linked Patient records at other hospitals.
	 */
	private void sharePatients(RequestDetails request, Bundle bundle, UUID upi) {
		CrosswalkPrincipal principal = Principals.of(request);
		if (principal == null || !principal.hasHospital() || !principal.mayRead("Patient")) {
			return;
		}
		List<LinkStore.Linked> records = this.store.linked(upi);
		int partition = principal.hospital().partitionId();
		if (records.stream().noneMatch((linked) -> linked.record().partitionId() == partition)) {
			// Sharing is about the caller's own patients: a UPI alone opens nothing.
			return;
		}
		int added = 0;
		for (LinkStore.Linked linked : records) {
			if (linked.record().partitionId() != partition) {
				Patient patient = readPatient(linked.record());
				if (patient != null) {
					add(bundle, patient, linked.hospital(), Bundle.SearchEntryMode.MATCH);
					added++;
				}
			}
		}
		if (added > 0 && bundle.hasTotal()) {
			bundle.setTotal(bundle.getTotal() + added);
		}
	}

	private Patient readPatient(RecordRef record) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRequestPartitionId(RequestPartitionId.fromPartitionId(record.partitionId()));
		try {
			return this.daos.getResourceDao(Patient.class).read(new IdType("Patient", record.patientId()), request);
		}
		catch (ResourceNotFoundException | ResourceGoneException ex) {
			return null;
		}
	}

	private static void add(Bundle bundle, Resource shared, String hospital, Bundle.SearchEntryMode mode) {
		shared.getMeta().addTag(SOURCE_HOSPITAL, hospital, "Shared from hospital " + hospital);
		bundle.addEntry()
			.setFullUrl("urn:crosswalk:" + hospital + ":" + shared.getIdElement().toUnqualifiedVersionless().getValue())
			.setResource(shared)
			.getSearch()
			.setMode(mode);
	}

	private void share(RequestDetails request, Bundle bundle) {
		CrosswalkPrincipal principal = Principals.of(request);
		if (principal == null || !principal.hasHospital() || request.getId() == null) {
			return;
		}
		RecordRef own = new RecordRef(principal.hospital().partitionId(), request.getId().getIdPart());
		LinkStore.Link link = this.store.link(own).orElse(null);
		if (link == null) {
			return;
		}
		int added = 0;
		for (LinkStore.Linked linked : this.store.linked(link.upi())) {
			if (linked.record().partitionId() == own.partitionId()) {
				continue;
			}
			String hospital = linked.hospital();
			for (IBaseResource resource : everything(linked.record())) {
				if (principal.mayRead(resource.fhirType())) {
					add(bundle, (Resource) resource, hospital, Bundle.SearchEntryMode.INCLUDE);
					added++;
				}
			}
		}
		if (added > 0 && bundle.hasTotal()) {
			bundle.setTotal(bundle.getTotal() + added);
		}
	}

	private List<IBaseResource> everything(RecordRef record) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRequestPartitionId(RequestPartitionId.fromPartitionId(record.partitionId()));
		@SuppressWarnings("unchecked")
		IFhirResourceDaoPatient<Patient> patients = (IFhirResourceDaoPatient<Patient>) this.daos
			.getResourceDao(Patient.class);
		PatientEverythingParameters parameters = new PatientEverythingParameters();
		try {
			return patients
				.patientInstanceEverything(null, request, parameters, new IdType("Patient", record.patientId()))
				.getResources(0, MAX_PER_RECORD);
		}
		catch (ResourceNotFoundException | ResourceGoneException ex) {
			return List.of();
		}
	}

}
