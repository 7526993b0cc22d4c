/**
 * The FHIR REST API at {@code /fhir}.
 *
 * <p>
 * Design:
 * <ul>
 * <li>One HAPI {@code RestfulServer}, registered as a servlet, serving the JPA resource
 * providers for every R4 type and the system provider (transaction, batch, history).</li>
 * <li>{@link health.crosswalk.server.Pipeline} owns the order of every filter and hook
 * and registers each hook object on its one interceptor service ({@code SERVER_*} hooks
 * on the RestfulServer's, the others on HAPI JPA's).</li>
 * <li>Searches are paged by offset ({@link health.crosswalk.server.OffsetPaging},
 * {@code STORAGE_PRESEARCH_REGISTERED} on HAPI's JPA interceptor service): a client's
 * search becomes an offset query that HAPI runs synchronously in the request's
 * transaction, without storing the search; {@code crosswalk.server.paging=stored} keeps
 * HAPI's stored searches.</li>
 * <li>A search's bare reference ids ({@code Observation?patient=abc}) get the one type
 * their parameter allows on the searched type
 * ({@link health.crosswalk.server.TypedReferences}, also at
 * {@code STORAGE_PRESEARCH_REGISTERED}), so that HAPI resolves them from its identity
 * cache instead of querying for the row on every search.</li>
 * <li>The CapabilityStatement names Crosswalk and its build version and carries no
 * resource counts.</li>
 * <li>Errors: {@link health.crosswalk.server.ErrorOutcomes} hooks
 * {@code SERVER_PRE_PROCESS_OUTGOING_EXCEPTION} (outside any transaction) so every error
 * response carries an OperationOutcome with a stable code from
 * {@link health.crosswalk.server.ErrorCode}; parse errors become 400, and unexpected
 * failures are logged with the request id and answered 500 without internals, HAPI's own
 * 5xx messages included (only Crosswalk's coded 5xx outcomes, such as the audit trail's
 * 503, reach the client as they are). HAPI's ERROR line for a client error thrown by a
 * hook is dropped by {@link health.crosswalk.server.RefusalLogFilter}, a Logback turbo
 * filter made one with Micrometer's count of log events once the server has started
 * ({@link health.crosswalk.server.OneTurboFilter}): Logback asks its turbo filters before
 * every level check, and copies their list for each check when it holds two.</li>
 * <li>Servlet filters ahead of HAPI, after the audit filter so their refusals are
 * recorded: {@link health.crosswalk.server.ParameterFilter} refuses queries that cannot
 * be decoded as UTF-8, paging parameters that are not whole numbers, unknown
 * {@code _summary}/{@code _total} values and control characters (400);
 * {@link health.crosswalk.server.MethodFilter} refuses methods FHIR does not define and
 * writes on {@code _history} paths (405).</li>
 * <li>Responses leave when Tomcat's buffer is full or the response ends
 * ({@link health.crosswalk.server.FlushAtEndFilter}, right after the request id, so every
 * filter after it and HAPI write through it): HAPI's JSON writer flushes after every
 * value, which Tomcat would send as a chunk each.</li>
 * <li>HAPI's primary FHIR context is made here
 * ({@link health.crosswalk.server.ServerFhirContext}, supplied for HAPI's bean definition
 * before any bean is made): search pages are built without HAPI's walk of every reference
 * ({@link health.crosswalk.server.SearchPageBundleFactory}), resources are encoded
 * without its search for resources to contain, and its terser finds a resource's
 * references (five times per resource of a transaction, in HAPI's transaction processor
 * and indexer) by a walk that allocates an eighth of what HAPI's does
 * ({@link health.crosswalk.server.ServerTerser}, held to HAPI's by
 * {@code TerserDifferentialIT}), and the owners of the patient compartments a resource is
 * in (for each audit record) from paths it works out once per resource type. No code of
 * Crosswalk puts a resource object into a reference ({@code ArchitectureTest}).</li>
 * </ul>
 */
package health.crosswalk.server;
