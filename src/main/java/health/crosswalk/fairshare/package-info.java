/**
 * Fair share: no hospital's burst takes the server from the others
 * ({@code crosswalk.fair-share.*}).
 *
 * <p>
 * Design:
 * <ul>
 * <li>A servlet filter on {@code /fhir}, right after Spring Security (which names the
 * caller) and after the audit filter (which records what this one refuses), gives each
 * hospital a lane: at most {@code max-concurrent-requests} of its requests run at once,
 * at most {@code max-queued-requests} wait for a turn, in arrival order, each at most
 * {@code queue-timeout}; any other request is answered {@code 429 CW-FAIR-001} with
 * {@code Retry-After}. Callers without a hospital (network auditors and administrators)
 * share one lane, unauthenticated ones another.</li>
 * <li>A request holds at most one database connection at a time: HAPI runs the GET
 * entries of a batch one after another in the request's own thread
 * ({@code bundleBatchPoolSize = 1}, set by {@code health.crosswalk.storage}), instead of
 * on a shared pool where one batch could take every connection. So one hospital holds at
 * most {@code max-concurrent-requests} connections of the pool.</li>
 * <li>The trade: waiting requests hold a servlet thread each (at most
 * {@code max-concurrent-requests + max-queued-requests} per hospital); with Tomcat's 200
 * threads, about ten hospitals bursting at once fill them. Lanes live in one server's
 * memory: with several servers, each gives every hospital its share.</li>
 * </ul>
 * No HAPI pointcuts; no transactions.
 */
package health.crosswalk.fairshare;
