/**
 * Crosswalk: a FHIR R4 server for networks of hospitals, built on HAPI FHIR JPA and
 * PostgreSQL.
 *
 * <p>
 * One package per capability, each with its own configuration class and
 * {@code crosswalk.<capability>} properties record:
 * <ul>
 * <li>{@link health.crosswalk.database} connects to PostgreSQL (embedded by default,
 * external by setting) and migrates Crosswalk's own schema with Flyway;</li>
 * <li>{@link health.crosswalk.storage} wires HAPI FHIR JPA: HAPI's schema migrator, the
 * entity manager and the storage settings;</li>
 * <li>{@link health.crosswalk.server} serves the FHIR REST API at {@code /fhir}, the
 * CapabilityStatement and the error contract;</li>
 * <li>{@link health.crosswalk.limits} bounds what one request may ask: body size,
 * parameters, values;</li>
 * <li>{@link health.crosswalk.security} turns a Bearer API key or JWT into a principal
 * (hospital, role, scopes), chooses its partition and authorizes each interaction;</li>
 * <li>{@link health.crosswalk.fairshare} gives each hospital its own lane of concurrent
 * requests;</li>
 * <li>{@link health.crosswalk.hospital} keeps the hospital registry, its API keys, the
 * admin API and the command line;</li>
 * <li>{@link health.crosswalk.linkage} links each Patient record to a universal patient
 * identifier and answers {@code $ihe-pix} and {@code $match};</li>
 * <li>{@link health.crosswalk.profiles} enforces the profiles of {@code fhir-profiles/}
 * on every write;</li>
 * <li>{@link health.crosswalk.audit} records every interaction as an AuditEvent before
 * its response leaves and chains the records.</li>
 * </ul>
 * Each package's own {@code package-info.java} states its design (HAPI pointcuts,
 * transaction boundaries); the decisions that cross packages and their trade-offs are in
 * {@code src/site/markdown/architecture.md}.
 */
package health.crosswalk;
