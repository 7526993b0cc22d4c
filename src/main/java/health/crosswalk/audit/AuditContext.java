package health.crosswalk.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What the audit trail knows of one HTTP request while it is served: whether its record
 * is already durable, and how many records its writes committed with them.
 */
final class AuditContext {

	private static final String ATTRIBUTE = AuditContext.class.getName();

	private volatile boolean recorded;

	private volatile int writes;

	static AuditContext of(HttpServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof AuditContext context) {
			return context;
		}
		AuditContext context = new AuditContext();
		request.setAttribute(ATTRIBUTE, context);
		return context;
	}

	/**
	 * The context of a HAPI request.
	 * @param request a HAPI request
	 * @return its context, or null for requests that did not come over HTTP
	 */
	static AuditContext of(RequestDetails request) {
		if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
			return of(servlet.getServletRequest());
		}
		return null;
	}

	boolean isRecorded() {
		return this.recorded;
	}

	void recorded() {
		this.recorded = true;
	}

	int writes() {
		return this.writes;
	}

	synchronized void wrote(int count) {
		this.writes += count;
	}

}
