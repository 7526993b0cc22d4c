package health.crosswalk.linkage;

import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDaoPatient;
import ca.uhn.fhir.jpa.api.dao.PatientEverythingParameters;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.UrlUtil;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Sharing: {@code Patient/[id]/$everything} by a caller of the patient's hospital also
 * returns the records linked to the same UPI at other hospitals, each tagged with its
 * source hospital. They are read when asked for, from the link store (never stored across
 * partitions), within the caller's scopes; a record a steward unlinks is no longer shared
 * from the next request on. Hooks {@code SERVER_OUTGOING_RESPONSE} on the RestfulServer.
 *
 * <p>
 * The shared records are paged like the local ones, a page at a time: they follow the
 * local pages, which keep HAPI's paging and carry the patient on their {@code next} link
 * ({@value #SHARED_OF}); once the local pages end, the {@code next} link asks
 * {@code $everything} again from a cursor into the linked records ({@value #SHARED_FROM}:
 * the record's position, then the offset within its {@code $everything}), and that page
 * carries the shared records only. Each page reads at most a page of them, so no answer
 * grows with the size of another hospital's record, and none is left out. Such a chain
 * has no {@code Bundle.total}: counting another hospital's records would read them all.
 */
@Interceptor
final class SharingHooks {

	/**
	 * Tag system marking a shared resource with the slug of the hospital it comes from.
	 */
	static final String SOURCE_HOSPITAL = HospitalDirectory.SOURCE_HOSPITAL_TAG;

	/** On a local page's {@code next} link: the patient whose linked records follow. */
	static final String SHARED_OF = "crosswalk-shared-of";

	/** On a shared page's link: where in the linked records the page starts. */
	static final String SHARED_FROM = "crosswalk-shared-from";

	private final LinkStore store;

	private final DaoRegistry daos;

	SharingHooks(LinkStore store, DaoRegistry daos) {
		this.store = store;
		this.daos = daos;
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = Pipeline.LINKAGE)
	boolean outgoing(RequestDetails request, ResponseDetails response) {
		if (!(response.getResponseResource() instanceof Bundle bundle)) {
			return true;
		}
		if (request.getRestOperationType() == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
				&& "$everything".equals(request.getOperation()) && "Patient".equals(request.getResourceName())) {
			share(request, bundle, request.getId().getIdPart());
		}
		else if (request.getParameters().containsKey(Constants.PARAM_PAGINGACTION)) {
			String[] of = request.getParameters().get(SHARED_OF);
			if (of != null && of.length == 1) {
				share(request, bundle, of[0]);
			}
		}
		else if (!isLaterPage(request) && request.getUserData().get(UpiSearchHooks.UPI_SEARCH) instanceof UUID upi) {
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
				Patient patient = Records.read(this.daos, linked.record());
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

	private static void add(Bundle bundle, Resource shared, String hospital, Bundle.SearchEntryMode mode) {
		shared.getMeta().addTag(SOURCE_HOSPITAL, hospital, "Shared from hospital " + hospital);
		bundle.addEntry()
			.setFullUrl("urn:crosswalk:" + hospital + ":" + shared.getIdElement().toUnqualifiedVersionless().getValue())
			.setResource(shared)
			.getSearch()
			.setMode(mode);
	}

	/**
	 * A page of a patient's {@code $everything}: while local pages follow, its
	 * {@code next} link names the patient; once they end, the page is followed by the
	 * shared records, from the cursor the request names.
	 */
	private void share(RequestDetails request, Bundle bundle, String patientId) {
		CrosswalkPrincipal principal = Principals.of(request);
		if (principal == null || !principal.hasHospital() || !principal.mayRead("Patient")) {
			// $everything asks to read the Patient; a page naming one asks no less.
			return;
		}
		String[] fromParameter = request.getParameters().get(SHARED_FROM);
		boolean sharedPage = fromParameter != null
				&& request.getRestOperationType() == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
		Cursor from = sharedPage ? Cursor.parse(fromParameter) : Cursor.START;
		if (sharedPage) {
			// Its local part is the first page again: this page is the shared records'.
			bundle.getEntry().clear();
			bundle.getLink().removeIf((link) -> !Bundle.LINK_SELF.equals(link.getRelation()));
		}
		RecordRef own = new RecordRef(principal.hospital().partitionId(), patientId);
		LinkStore.Link link = this.store.link(own).orElse(null);
		List<LinkStore.Linked> others = (link == null) ? List.of()
				: this.store.linked(link.upi())
					.stream()
					.filter((linked) -> linked.record().partitionId() != own.partitionId())
					.toList();
		if (others.isEmpty()) {
			return;
		}
		bundle.setTotalElement(null);
		Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
		if (next != null) {
			// Local pages follow; the shared records come after them.
			next.setUrl(next.getUrl() + "&" + SHARED_OF + "=" + UrlUtil.escapeUrlParam(patientId));
			return;
		}
		int count = pageSize(request);
		Cursor after = addShared(bundle, principal, others, from, count);
		if (after.record() < others.size()) {
			bundle.addLink()
				.setRelation(Bundle.LINK_NEXT)
				.setUrl(request.getFhirServerBase() + "/Patient/" + UrlUtil.escapeUrlParam(patientId) + "/$everything?"
						+ Constants.PARAM_COUNT + "=" + count + "&" + SHARED_FROM + "=" + after);
		}
	}

	/**
	 * Adds up to a page of the linked records' resources, from a cursor; the included
	 * resources each brings come along. Resources beyond the caller's scopes are passed
	 * over, not shown.
	 * @return the cursor after them
	 */
	private Cursor addShared(Bundle bundle, CrosswalkPrincipal principal, List<LinkStore.Linked> others, Cursor from,
			int count) {
		int record = from.record();
		int offset = from.offset();
		int left = count;
		while (left > 0 && record < others.size()) {
			LinkStore.Linked linked = others.get(record);
			int matched = 0;
			for (IBaseResource resource : everything(linked.record(), offset, left)) {
				boolean included = ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE
					.get(resource) == BundleEntrySearchModeEnum.INCLUDE;
				if (!included) {
					matched++;
				}
				if (principal.mayRead(resource.fhirType())) {
					add(bundle, (Resource) resource, linked.hospital(), Bundle.SearchEntryMode.INCLUDE);
				}
			}
			if (matched < left) {
				// This record's $everything has ended.
				record++;
				offset = 0;
			}
			else {
				offset += matched;
			}
			left -= matched;
		}
		return new Cursor(record, offset);
	}

	private static int pageSize(RequestDetails request) {
		Integer fallback = (request.getServer() != null) ? request.getServer().getDefaultPageSize() : null;
		Integer maximum = (request.getServer() != null) ? request.getServer().getMaximumPageSize() : null;
		String[] count = request.getParameters().get(Constants.PARAM_COUNT);
		int size = (count != null && count.length > 0) ? Integer.parseInt(count[0])
				: (fallback != null) ? fallback : 20;
		return Math.max(1, (maximum != null) ? Math.min(size, maximum) : size);
	}

	/** One page of a linked record's {@code $everything}, read as the system. */
	private List<IBaseResource> everything(RecordRef record, int offset, int count) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRequestPartitionId(RequestPartitionId.fromPartitionId(record.partitionId()));
		@SuppressWarnings("unchecked")
		IFhirResourceDaoPatient<Patient> patients = (IFhirResourceDaoPatient<Patient>) this.daos
			.getResourceDao(Patient.class);
		PatientEverythingParameters parameters = new PatientEverythingParameters();
		parameters.setCount(new IntegerType(count));
		parameters.setOffset(new IntegerType(offset));
		try {
			IBundleProvider page = patients.patientInstanceEverything(null, request, parameters,
					new IdType("Patient", record.patientId()));
			// An offset query is answered at once, in memory, with no size known ahead:
			// the page's matches and what they include, which may outnumber count.
			return (page instanceof SimpleBundleProvider loaded) ? loaded.getResources(0, Integer.MAX_VALUE)
					: page.getResources(0, count);
		}
		catch (ResourceNotFoundException | ResourceGoneException ex) {
			return List.of();
		}
	}

	/**
	 * Where a page of shared records starts: the position of a linked record (in the link
	 * store's order) and the offset within its {@code $everything}.
	 */
	record Cursor(int record, int offset) {

		static final Cursor START = new Cursor(0, 0);

		static Cursor parse(String[] values) {
			if (values.length == 1) {
				String[] parts = values[0].split("\\.", -1);
				if (parts.length == 2 && parts[0].matches("[0-9]{1,6}") && parts[1].matches("[0-9]{1,9}")) {
					return new Cursor(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
				}
			}
			throw LinkageError.BAD_SHARING_CURSOR.exception("The parameter " + SHARED_FROM + " is the server's cursor "
					+ "into a patient's records at other hospitals, two whole numbers joined by a dot; it was '"
					+ String.join(",", values) + "'.");
		}

		@Override
		public String toString() {
			return this.record + "." + this.offset;
		}

	}

}
