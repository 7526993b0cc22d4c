package health.crosswalk.linkage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Pipeline;

/**
 * {@code GET Patient?identifier=<upi system>|<upi>}: the UPI lives in the link store, not
 * in HAPI's search index, so the search is rewritten
 * ({@code SERVER_INCOMING_REQUEST_POST_PROCESSED}, before HAPI handles it) to the ids of
 * the caller's own records with that UPI. With sharing on, {@link SharingHooks} then adds
 * the linked records at other hospitals.
 */
@Interceptor
final class UpiSearchHooks {

	static final String UPI_SEARCH = UpiSearchHooks.class.getName() + ".upi";

	private static final String IDENTIFIER = "identifier";

	private final LinkStore store;

	private final String upiSystem;

	UpiSearchHooks(LinkStore store, String upiSystem) {
		this.store = store;
		this.upiSystem = upiSystem;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = Pipeline.LINKAGE)
	boolean rewrite(RequestDetails request) {
		if (!(request instanceof ServletRequestDetails servlet) || request.getRequestType() != RequestTypeEnum.GET
				|| !"Patient".equals(request.getResourceName()) || request.getId() != null
				|| request.getOperation() != null) {
			return true;
		}
		String[] identifiers = request.getParameters().get(IDENTIFIER);
		if (identifiers == null || identifiers.length != 1 || !identifiers[0].startsWith(this.upiSystem + "|")) {
			return true;
		}
		CrosswalkPrincipal principal = Principals.of(request);
		if (principal == null || !principal.hasHospital()) {
			return true;
		}
		UUID upi = Records.upi(identifiers[0].substring(this.upiSystem.length() + 1));
		List<String> ids = new ArrayList<>();
		if (upi != null) {
			for (RecordRef record : this.store.records(upi)) {
				if (record.partitionId() == principal.hospital().partitionId()) {
					ids.add(record.patientId());
				}
			}
			request.getUserData().put(UPI_SEARCH, upi);
		}
		Map<String, String[]> parameters = new HashMap<>(request.getParameters());
		parameters.remove(IDENTIFIER);
		// No record here: an id that cannot exist, so the
		// search finds nothing, not everything.
		parameters.put("_id",
				new String[] { ids.isEmpty() ? "no-record-" + UUID.randomUUID() : String.join(",", ids) });
		servlet.setParameters(parameters);
		return true;
	}

}
