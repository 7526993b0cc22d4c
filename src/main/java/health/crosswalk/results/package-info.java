/**
 * Searches answered from memory until a write to what they read commits: counts
 * ({@code _summary=count}), the ids of pages of results and the stored searches of
 * {@code $everything}.
 *
 * <p>
 * Design:
 * <ul>
 * <li>{@link health.crosswalk.results.KeptSearches} wraps HAPI's synchronous search
 * service (a bean post-processor), where HAPI runs every count and every page Crosswalk
 * reads by offset after every pre-search hook, with the partition chosen. A search of one
 * hospital's rows of one type (no chain, {@code _has}, terminology modifier, composite or
 * {@code _tag}, {@code _security}, {@code _profile}, {@code _source}; a page sorted by
 * its own parameters) is answered from {@link health.crosswalk.results.ResultCache},
 * keyed by partition, type and HAPI's normalized query, while the generations it ran in
 * are current. A count is answered whole; a page's ids are given to HAPI's query builder
 * in place of its SQL ({@link health.crosswalk.results.KeptPages}), and HAPI loads the
 * resources, their includes and every hook that sees them as for any other search. A
 * search routed to a read replica always runs.</li>
 * <li>{@link health.crosswalk.results.KeptEverything} wraps HAPI's search coordinator (a
 * bean post-processor, ordered before the storage package's wrapping of the same bean): a
 * client's {@code $everything} of one hospital, which HAPI runs as a stored search and
 * never reuses, is given the search it stored last time, keyed by partition, mode and
 * HAPI's normalized query (taken before the pre-search hooks), while no write to that
 * partition, of any type, has committed since. HAPI's own provider reads the stored
 * search's pages, with every hook that sees their resources.</li>
 * <li>{@link health.crosswalk.results.ResultWrites}, on HAPI's JPA interceptor service
 * ({@code STORAGE_PRECOMMIT_RESOURCE_CREATED}, {@code _UPDATED}, {@code _DELETED}, at
 * {@code Pipeline.RESULTS}), queues each written resource's partition and type for the
 * end of its transaction ({@code storage.BeforeCommit}): one {@code pg_notify} on
 * {@code crosswalk_results} just before the commit, on the transaction's connection
 * (PostgreSQL delivers it only if the transaction commits), and, once committed (or its
 * commit's outcome unknown), this server's generations raised before its response leaves:
 * the type's and its partition's. The notification names the server that sent it, which
 * passes over it when it comes back.</li>
 * <li>Other servers' writes arrive through the server's one listening session
 * ({@code database.Notifications}); nothing is kept while it does not listen, and its
 * loss or return makes every kept answer stale.</li>
 * </ul>
 * Trade-off: another server may answer a search without a write for the milliseconds its
 * notification takes; writes that bypass HAPI are not seen (see the architecture notes).
 */
package health.crosswalk.results;
