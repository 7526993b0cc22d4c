package health.crosswalk.limits;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Checks a transaction or batch Bundle's entry count before any entry is processed (and
 * before the Bundle's shape is checked entry by entry), and every resource against the
 * value limits before anything else interprets it (linkage reads a Patient's values on
 * the same pointcut, after this).
 */
final class LimitHooks {

	private final ResourceLimits limits;

	private final BundleEntries entries;

	private final TransactionTime time;

	private final SearchModifiers modifiers;

	LimitHooks(ResourceLimits limits, BundleEntries entries, TransactionTime time, SearchModifiers modifiers) {
		this.limits = limits;
		this.entries = entries;
		this.time = time;
		this.modifiers = modifiers;
	}

	@Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = Pipeline.LIMITS)
	void processing(IBaseBundle bundle) {
		this.entries.check(bundle);
		this.modifiers.checkEntries(bundle);
		this.limits.checkEntries(bundle);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = Pipeline.LIMITS)
	void creating(IBaseResource resource, RequestDetails request) {
		this.time.check(request);
		this.limits.check(resource);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = Pipeline.LIMITS)
	void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		this.time.check(request);
		this.limits.check(resource);
	}

	/**
	 * In a transaction bundle HAPI defers these to its end, where the profile validation
	 * of every entry then runs ({@code Pipeline.VALIDATION}, after these): the time is
	 * checked again before each.
	 */
	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.LIMITS)
	void created(RequestDetails request) {
		this.time.check(request);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = Pipeline.LIMITS)
	void updated(RequestDetails request) {
		this.time.check(request);
	}

}
