package health.crosswalk.audit;

import java.util.concurrent.CompletableFuture;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What the audit trail knows of one HTTP request while it is served: whether its record
 * is made, the group commit its response still waits for, and how many records its writes
 * committed with them.
 */
final class AuditContext {

	private static final String ATTRIBUTE = AuditContext.class.getName();

	private volatile boolean recorded;

	private volatile int writes;

	private volatile CompletableFuture<Void> committing;

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

	/**
	 * The request's records are queued for the group commit; the response must not leave
	 * before they are committed.
	 * @param committed completed once they are
	 */
	void committing(CompletableFuture<Void> committed) {
		this.committing = committed;
		this.recorded = true;
	}

	/**
	 * What the response still waits for.
	 * @return the pending commit, or null
	 */
	CompletableFuture<Void> committing() {
		return this.committing;
	}

	int writes() {
		return this.writes;
	}

	synchronized void wrote(int count) {
		this.writes += count;
	}

}
