package health.crosswalk.profiles;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Enforces the profiles on every client write, including each entry of transaction and
 * batch bundles. Enforcement runs at {@code STORAGE_PRECOMMIT_*}: inside the write's
 * transaction (a refusal rolls it back, with the whole bundle), and after
 * {@code urn:uuid} references of a transaction have been resolved to the ids they point
 * to, which the profiles' rules need; at {@link Pipeline#VALIDATION}, before linkage and
 * the audit read the resource. Registered on HAPI's JPA interceptor service only.
 */
@Interceptor
final class ProfileHooks {

	private final ProfileValidation validation;

	private final Timing timing;

	/** Told how long each validation took, for metrics. */
	interface Timing {

		/**
		 * @param resourceType the type validated
		 * @param refused whether it was refused
		 * @param nanos how long it took
		 */
		void validated(String resourceType, boolean refused, long nanos);

	}

	/**
	 * @param validation the validation to enforce
	 */
	ProfileHooks(ProfileValidation validation, Timing timing) {
		this.validation = validation;
		this.timing = timing;
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.VALIDATION)
	void created(IBaseResource resource, RequestDetails request) {
		enforce(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = Pipeline.VALIDATION)
	void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		enforce(resource, request);
	}

	private void enforce(IBaseResource resource, RequestDetails request) {
		// The server's own writes (hospital Organizations,
		// search parameters) are trusted.
		if (request != null && !(request instanceof SystemRequestDetails)) {
			long start = System.nanoTime();
			boolean refused = true;
			try {
				this.validation.enforce(resource);
				refused = false;
			}
			finally {
				this.timing.validated(resource.fhirType(), refused, System.nanoTime() - start);
			}
		}
	}

}
