/**
 * Bringing data in: {@code java -jar crosswalk.jar import} of FHIR files (NDJSON,
 * Bundles) and legacy stores into one hospital, and the FHIR {@code $import} operation.
 *
 * <ul>
 * <li>Path: the command starts the whole server on a loopback port and writes through its
 * FHIR API with a {@code hospital-system} key issued for the run and revoked at its end
 * ({@code hospital.RegistryAccess}). Every record meets the same pipeline as a client's
 * write (partition, authorization, limits, profiles, linkage, audit); the trade-off is
 * HTTP on loopback, about REST ingest's throughput, for no second write path to keep
 * equal.</li>
 * <li>Ids and idempotence: each record keeps its source id as an identifier in
 * {@code https://fhir.crosswalk.health/sid/legacy/<source>} and is written as a
 * conditional update on it; references become {@code urn:uuid} within a transaction and
 * conditional references to earlier ones. No table of Crosswalk's own holds the mapping:
 * the identifiers are it, so a second run, or one after a crash, finds every record
 * written before.</li>
 * <li>Transactions: a FHIR transaction per 100 records (the server's own transaction);
 * one the server refuses is retried record by record, so that each refused record gets
 * its reason and the others are written.</li>
 * <li>Accounting: every record read is written or refused with its reason
 * ({@code ImportReport}); the report is written beside the run.</li>
 * <li>{@code $import} ({@code ImportProvider}, registered on the RestfulServer, no
 * hooks): the kick-off checks the request and queues a row of
 * {@code crosswalk.import_job} in its own statement; {@code ImportWorker} on every server
 * claims the oldest waiting job ({@code FOR UPDATE SKIP LOCKED}, a lease it extends),
 * reads its files (Binaries through HAPI's DAO in the requester's partition, or allowed
 * URLs) and runs the same engine through the server's own API on loopback with a key
 * issued for the job. The job's end and its report are one statement; a server that dies
 * leaves the lease to run out, and another runs the job again, which the legacy
 * identifiers make harmless. Polls and cancellations answer the requester alone.</li>
 * </ul>
 */
package health.crosswalk.migration;
