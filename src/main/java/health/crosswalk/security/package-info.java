/**
 * Who is calling, for which hospital, and what they may do.
 *
 * <p>
 * Design:
 * <ul>
 * <li>Authentication (Spring Security, stateless): {@code Authorization: Bearer} carries
 * either a Crosswalk API key ({@code cwk_} prefix, checked against the Argon2id hash in
 * the hospital registry) or a JWT from the network's OpenID Connect provider (signature
 * via JWKS, issuer, audience and expiry checked by Spring Security's decoder). Either way
 * the result is one {@link health.crosswalk.security.CrosswalkPrincipal}: hospital, role,
 * SMART scopes, subject. Refusals answer 401 (credential) or 403 (permission) with an
 * OperationOutcome and a stable {@code CW-AUTH-0xx} code.</li>
 * <li>Partition: {@code STORAGE_PARTITION_IDENTIFY_ANY} on HAPI's JPA interceptor service
 * picks the caller's hospital partition from the principal, never from the URL; auditors
 * read all partitions; internal system requests get the default partition unless they
 * name one. Cross-partition references stay forbidden.</li>
 * <li>Authorization, as plain code in {@code FhirAccessPolicy}, called from
 * {@code SERVER_INCOMING_REQUEST_PRE_HANDLED} (RestfulServer, outside any transaction:
 * role, scope and operation of the request) and from {@code STORAGE_PRESTORAGE_*} (inside
 * the write's transaction, also for each bundle entry: scope per type, and Patient
 * identifiers only in the writer's own or shared systems) and
 * {@code STORAGE_PRESHOW_RESOURCES} (inside the read's transaction: resources outside the
 * caller's scopes or partition are withheld, including {@code _include} and
 * {@code $everything}).</li>
 * <li>Paging links: {@code STORAGE_PRESEARCH_REGISTERED} records which partition owns
 * each stored search ({@code crosswalk.search_page_owner}); a page is served only to the
 * same partition, others get the same 410 as for an expired search. Searches paged by
 * offset (the default, see {@code health.crosswalk.server}) store nothing: their links
 * repeat the query, which runs in the caller's own partition. Type-level
 * {@code Patient/$everything} is refused: HAPI 8.8 was seen crossing partitions there. At
 * the server's base only the Bulk Data {@code $export} and {@code $export-poll-status}
 * run ({@code health.crosswalk.bulk}), and {@code $import} and
 * {@code $import-poll-status} ({@code health.crosswalk.migration}); an export needs a
 * read scope on every type, an import a create and an update scope on every type. A
 * {@code network-exporter} runs only the system-level {@code $export} and its polls, in
 * every partition, and reads Binaries of the default partition, where its files are.</li>
 * <li>{@code /.well-known/smart-configuration} (also under {@code /fhir}) and
 * {@code /fhir/metadata} are public. The SMART configuration says only what is
 * configured, and answers 404 without access tokens and a token endpoint.
 * {@code SERVER_CAPABILITY_STATEMENT_GENERATED} on the RestfulServer
 * ({@code SecurityCapability}) drops the operations the access policy refuses to every
 * caller and describes authentication in {@code rest.security}.</li>
 * <li>Spring Security's chain runs as it builds it, without the per-filter observations
 * and without the Spring MVC handler lookup it would put in front of every request
 * ({@code PlainSecurityFilterChain}): its matchers are plain paths, and it configures no
 * CORS.</li>
 * </ul>
 */
package health.crosswalk.security;
