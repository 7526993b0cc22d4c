package health.crosswalk.replica;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.crosswalk.database.ReadRoute;
import health.crosswalk.server.Pipeline;

/**
 * Marks the requests a read replica may answer: reads by id and version, and type-level
 * searches when searches page by offset (they store nothing), of every type but Patient
 * and Binary. Everything else stays on the primary: writes, {@code $everything} and
 * history (HAPI stores their pages), searches whose pages HAPI stores, Patient (linkage
 * and sharing), Binary (export files), and any request that says {@code Cache-Control:
 * no-cache} because it must see what was just written.
 */
@Interceptor
final class ReplicaReads {

	private final boolean offsetPaging;

	ReplicaReads(boolean offsetPaging) {
		this.offsetPaging = offsetPaging;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED, order = Pipeline.DESCRIBE)
	boolean arrived() {
		// A thread serves one request at a time: nothing of the last one carries over.
		ReadRoute.primary();
		return true;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = Pipeline.DESCRIBE)
	boolean routed(RequestDetails request) {
		if (replicaMayAnswer(request)) {
			ReadRoute.replica();
		}
		return true;
	}

	@Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = Pipeline.DESCRIBE)
	void completed() {
		ReadRoute.primary();
	}

	boolean replicaMayAnswer(RequestDetails request) {
		String cacheControl = request.getHeader("Cache-Control");
		if (cacheControl != null && cacheControl.toLowerCase(java.util.Locale.ROOT).contains("no-cache")) {
			return false;
		}
		// Patient responses carry what linkage decides (links, records shared from other
		// hospitals), which an unlink must end at once, not after the replica's lag; an
		// export's files are fetched right after its status says they exist.
		String type = request.getResourceName();
		if ("Patient".equals(type) || "Binary".equals(type)) {
			return false;
		}
		for (String parameter : new String[] { "_include", "_revinclude", "_contained" }) {
			// Included resources may be Patients.
			if (request.getParameters().containsKey(parameter)
					|| request.getParameters().containsKey(parameter + ":iterate")) {
				return false;
			}
		}
		RestOperationTypeEnum operation = request.getRestOperationType();
		if (operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD) {
			return true;
		}
		if (operation != RestOperationTypeEnum.SEARCH_TYPE || !this.offsetPaging) {
			return false;
		}
		// _count=0 asks for a count alone, which HAPI may run as a stored search.
		String[] count = request.getParameters().get("_count");
		if (count == null || count.length == 0) {
			return true;
		}
		try {
			return Integer.parseInt(count[0].trim()) > 0;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
