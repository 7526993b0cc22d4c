package health.crosswalk.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.crosswalk.server.Pipeline;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's side of the audit trail; each hook hands over to {@link AuditTrail}.
 */
final class AuditHooks {

	private AuditHooks() {
	}

	/**
	 * REST-level hooks, registered on the RestfulServer: outside any transaction, before
	 * the response is written.
	 */
	@Interceptor
	static final class Rest {

		private final AuditTrail trail;

		Rest(AuditTrail trail) {
			this.trail = trail;
		}

		@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED, order = Pipeline.AUTHORIZE)
		boolean arriving(HttpServletRequest request) {
			if (AuditWrites.isWrite(request.getMethod(), request.getPathInfo())) {
				String message = request.getMethod() + " on AuditEvent is refused for every caller.";
				throw AuditError.IMMUTABLE.exception(message);
			}
			return true;
		}

		@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = Pipeline.AUDIT)
		boolean responding(RequestDetails request, ResponseDetails response) {
			try {
				this.trail.recordResponse(request, response.getResponseResource(), response.getResponseCode());
			}
			catch (AuditUnavailableException ex) {
				throw unavailable(ex);
			}
			return true;
		}

		@Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = Pipeline.AUDIT)
		boolean failing(RequestDetails request, BaseServerResponseException failure) {
			this.trail.recordFailure(request, failure);
			return true;
		}

		private static BaseServerResponseException unavailable(AuditUnavailableException ex) {
			return AuditError.UNAVAILABLE
				.exception("This request could not be recorded in the audit trail (" + ex.getMessage() + ").");
		}

	}

	/**
	 * Storage hooks, registered on HAPI's JPA interceptor service: inside the write's
	 * transaction, also for every entry of a bundle.
	 */
	@Interceptor
	static final class Storage {

		private final AuditTrail trail;

		Storage(AuditTrail trail) {
			this.trail = trail;
		}

		@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.AUDIT)
		void created(IBaseResource resource, RequestDetails request) {
			this.trail.recordWrite(request, "create", resource);
		}

		@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = Pipeline.AUDIT)
		void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
			this.trail.recordWrite(request, "update", resource);
		}

		@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = Pipeline.AUDIT)
		void deleted(IBaseResource resource, RequestDetails request) {
			this.trail.recordWrite(request, "delete", resource);
		}

	}

}
