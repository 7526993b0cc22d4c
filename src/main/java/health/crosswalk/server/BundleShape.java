package health.crosswalk.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;

/**
 * Refuses a transaction or batch Bundle whose shape FHIR does not allow, before HAPI
 * processes any entry ({@code STORAGE_TRANSACTION_PROCESSING}): without a type (HAPI
 * would assume a transaction), an entry without a request method or URL, or a write entry
 * without the resource it writes (HAPI failed on it with a 500).
 */
final class BundleShape {

	@Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = Pipeline.SHAPE)
	void processing(IBaseBundle bundle) {
		if (bundle instanceof Bundle r4) {
			check(r4);
		}
	}

	static void check(Bundle bundle) {
		if (bundle.getType() != BundleType.TRANSACTION && bundle.getType() != BundleType.BATCH) {
			throw refusal(
					"Bundle.type is " + ((bundle.getType() != null) ? "'" + bundle.getType().toCode() + "'" : "missing")
							+ ": a Bundle sent to the base URL must be a 'transaction' or a 'batch'.");
		}
		for (int i = 0; i < bundle.getEntry().size(); i++) {
			BundleEntryComponent entry = bundle.getEntry().get(i);
			String where = "Bundle.entry[" + i + "]";
			if (!entry.getRequest().hasMethod()) {
				throw refusal(where + ".request.method is missing: say what to do with the entry (GET, POST, PUT, "
						+ "PATCH, DELETE).");
			}
			if (!entry.getRequest().hasUrl()) {
				throw refusal(where + ".request.url is missing: name the resource type, the resource or the search.");
			}
			HTTPVerb method = entry.getRequest().getMethod();
			if (method == HTTPVerb.HEAD) {
				throw refusal(where + ".request.method is HEAD, which a batch or transaction here does not run: use "
						+ "GET.");
			}
			if ((method == HTTPVerb.POST || method == HTTPVerb.PUT || method == HTTPVerb.PATCH)
					&& entry.getResource() == null) {
				throw refusal(where + ".resource is missing: a " + method.toCode() + " entry carries what it writes.");
			}
		}
	}

	private static BaseServerResponseException refusal(String diagnostics) {
		return ErrorCode.INVALID_REQUEST.exception(diagnostics);
	}

}
