/**
 * Read scaling on a PostgreSQL read replica ({@code crosswalk.db.replica-url}).
 *
 * <p>
 * Design:
 * <ul>
 * <li>Pointcuts: {@code SERVER_INCOMING_REQUEST_PRE_PROCESSED} clears the request
 * thread's route, {@code SERVER_INCOMING_REQUEST_POST_PROCESSED} (once HAPI knows the
 * interaction) marks a read by id, a read of a version or an offset-paged type search as
 * one the replica may answer ({@link health.crosswalk.database.ReadRoute}), and
 * {@code SERVER_PROCESSING_COMPLETED} clears it. The database's data source hands such a
 * thread replica connections; every other thread and request gets the primary's.</li>
 * <li>Transactions: a marked request's HAPI transactions run on the replica, read-only
 * (its sessions start with {@code default_transaction_read_only}, so a write sent there
 * by mistake fails rather than landing anywhere but the primary). Authentication (a
 * servlet filter, before HAPI) reads keys from the primary, and audit records are
 * committed by the audit's own thread on the primary.</li>
 * <li>Trade-off: a replica lags the primary by its replication delay, so a read may not
 * show a write the same client made a moment before on the primary; such a client sends
 * {@code Cache-Control: no-cache}. Writes, {@code $everything}, history and stored
 * searches always run on the primary.</li>
 * </ul>
 */
package health.crosswalk.replica;
