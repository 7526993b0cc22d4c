package health.crosswalk.limits;

import java.time.Duration;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

/**
 * Bounds the time a request spends writing resources: checked before each resource it
 * stores, so a transaction Bundle that has taken too long is refused at its next entry
 * and rolled back whole. PostgreSQL bounds each statement and each pause between them
 * ({@code health.crosswalk.database}); this bounds their sum.
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
					+ (this.maxMillis / 1000) + " s); it was rolled back and nothing of it was stored.");
		}
	}

}
