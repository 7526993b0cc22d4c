/**
 * Count-only searches ({@code _summary=count}) answered from memory until a write to what
 * they count commits.
 *
 * <p>
 * Design:
 * <ul>
 * <li>{@link health.crosswalk.counts.CountedSearches} wraps HAPI's synchronous search
 * service (a bean post-processor), where HAPI runs a count after every pre-search hook,
 * with the partition chosen: a count of one hospital's rows of one type (no chain,
 * {@code _has}, terminology modifier, composite or {@code _tag}, {@code _security},
 * {@code _profile}, {@code _source}) is answered from
 * {@link health.crosswalk.counts.CountCache}, keyed by partition, type and HAPI's
 * normalized query, while the generations it was counted in are current. A count routed
 * to a read replica always runs.</li>
 * <li>{@link health.crosswalk.counts.CountWrites}, on HAPI's JPA interceptor service
 * ({@code STORAGE_PRECOMMIT_RESOURCE_CREATED}, {@code _UPDATED}, {@code _DELETED}, at
 * {@code Pipeline.COUNTS}), queues each written resource's partition and type for the end
 * of its transaction ({@code storage.BeforeCommit}): one {@code pg_notify} on
 * {@code crosswalk_counts} just before the commit, on the transaction's connection
 * (PostgreSQL delivers it only if the transaction commits), and, once committed, this
 * server's generations raised before its response leaves.</li>
 * <li>Other servers' writes arrive through the server's one listening session
 * ({@code database.Notifications}); nothing is kept while it does not listen, and its
 * loss or return makes every count stale.</li>
 * </ul>
 * Trade-off: another server may answer a count without a write for the milliseconds its
 * notification takes; writes that bypass HAPI are not seen (see the architecture notes).
 */
package health.crosswalk.counts;
