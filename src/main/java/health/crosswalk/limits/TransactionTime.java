package health.crosswalk.limits;

import java.time.Duration;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

/**
 * Bounds the time a request spends writing resources: checked before each resource it
 * stores and again before each is validated at commit (where HAPI defers the validation
 * of a transaction's entries), so a transaction Bundle that has taken too long is refused
 * and rolled back whole, and a batch's later entries are refused one by one. PostgreSQL
 * bounds each statement and each pause between them ({@code health.crosswalk.database});
 * this bounds their sum, but not one step that is already running (a single validation).
 */
final class TransactionTime {

	private final long maxMillis;

	TransactionTime(Duration max) {
		this.maxMillis = max.toMillis();
	}

	/**
	 * Refuses to store another resource for a request that has run too long.
	 * @param request the request storing it; internal (system) requests are not bounded
	 * @throws ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException (503)
	 */
	void check(RequestDetails request) {
		if (request == null || request instanceof SystemRequestDetails) {
			return;
		}
		long elapsed = request.getRequestStopwatch().getMillis();
		if (elapsed > this.maxMillis) {
			throw LimitError.TRANSACTION_TOO_LONG.exception("The request has been writing for " + (elapsed / 1000)
					+ " s, longer than the server allows (crosswalk.limits.max-transaction-time, "
					+ (this.maxMillis / 1000) + " s). This resource was not stored, nor any of a transaction "
					+ "bundle's.");
		}
	}

}
