package health.crosswalk.limits;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The most entries a transaction or batch Bundle may have, checked before HAPI processes
 * any entry: each entry costs a resolution, a write and its index rows, its validation
 * and linkage, all in one database transaction for a transaction Bundle, and the body
 * size alone admits hundreds of thousands of small ones.
 */
final class BundleEntries {

	private final int maxEntries;

	BundleEntries(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/**
	 * Refuses a Bundle with more entries than the limit.
	 * @param bundle the transaction or batch about to be processed
	 * @throws BaseServerResponseException (413) naming the count and the limit
	 */
	void check(IBaseBundle bundle) {
		if (bundle instanceof Bundle r4 && r4.getEntry().size() > this.maxEntries) {
			throw LimitError.TOO_MANY_ENTRIES.exception("The Bundle has " + r4.getEntry().size()
					+ " entries; the limit is " + this.maxEntries + " (crosswalk.limits.max-bundle-entries).");
		}
	}

}
