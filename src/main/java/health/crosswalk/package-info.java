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
 * <li>security, hospital, linkage, profiles and audit: see their own package notes.</li>
 * </ul>
 * Decisions that cross packages are in the project's design note; see the README.
 */
package health.crosswalk;
