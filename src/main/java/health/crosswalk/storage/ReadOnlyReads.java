package health.crosswalk.storage;

import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService.IExecutionBuilder;
import ca.uhn.fhir.jpa.util.JpaHapiTransactionService;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * HAPI's transaction service, with the transactions a read by id or by version begins
 * marked read-only.
 *
 * <p>
 * Why: HAPI runs a read in a transaction like any other, and at its commit Hibernate
 * flushes: it walks the loaded resource and version, with their cascades and collections,
 * to find changes a read never makes (2.7 % of a read by id's samples in the benchmark,
 * outside the JIT compiler). Spring begins a read-only transaction with Hibernate's flush
 * mode manual and its session's entities read-only: nothing is flushed at its commit, and
 * nothing it loads is checked for changes.
 *
 * <p>
 * Only the builders made for a request whose interaction is a read by id or by version
 * are marked, and a mark only matters where the builder begins a transaction: a read made
 * inside another transaction joins it, as HAPI's own would. A transaction bundle's reads,
 * which HAPI runs after its writes commit, each begin one, read-only. The system's own
 * work is not marked; HAPI's writes of its resource-type table, the one write of HAPI's
 * looked at here, ask for a new transaction, so a read's does not hold them. A read
 * replica, when configured, already answers reads of every type but Patient and Binary on
 * sessions PostgreSQL keeps read-only ({@code health.crosswalk.replica}).
 */
class ReadOnlyReads extends JpaHapiTransactionService {

	@Override
	protected IExecutionBuilder buildExecutionBuilder(RequestDetails request) {
		IExecutionBuilder builder = super.buildExecutionBuilder(request);
		return readsOnly(request) ? builder.readOnly() : builder;
	}

	/**
	 * Whether a request's transactions only read: a read by id or by version.
	 * @param request the request HAPI works for, or null for the system's own work
	 * @return whether its transactions may be read-only
	 */
	static boolean readsOnly(RequestDetails request) {
		if (request == null) {
			return false;
		}
		RestOperationTypeEnum operation = request.getRestOperationType();
		return operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD;
	}

}
