/**
 * The audit trail: every FHIR and administrative interaction, allowed or refused, leaves
 * an IHE BALP-shaped {@code AuditEvent} that is durable before the response leaves,
 * cannot be changed through any API, and is hash-chained so that a change made behind the
 * server's back is found.
 *
 * <p>
 * Design:
 * <ul>
 * <li>Storage (Flyway): {@code audit_event}, partitioned by month (retention drops
 * partitions; the server creates the coming months' and a default partition catches the
 * rest), holds each AuditEvent as JSON, compressed with a preset dictionary from
 * {@code audit_dictionary} ({@code AuditText}: zstd frames, zlib streams from earlier
 * servers; rows before V22 hold plain text), plus the columns auditors search by. The
 * JSON is written by {@code AuditJson}, which writes what HAPI's parser would, character
 * for character, at a tenth of its cost, and hands any event with an element it does not
 * write to HAPI's parser. {@code audit_seal} is the hash chain. Both refuse UPDATE,
 * DELETE and TRUNCATE by trigger, also on each partition, and the application role's
 * privileges for them are revoked.</li>
 * <li>Writes: {@code STORAGE_PRECOMMIT_RESOURCE_CREATED/UPDATED/DELETED} on HAPI's JPA
 * interceptor service build one record per resource written (also for every entry of a
 * bundle) and append them on the write's own connection just before its transaction
 * commits, so a rolled-back write leaves no success record.</li>
 * <li>Everything else: {@code SERVER_OUTGOING_RESPONSE} and
 * {@code SERVER_HANDLE_EXCEPTION} on the RestfulServer (outside any transaction, before
 * HAPI writes the response) record reads, searches, history, operations, bundles with
 * their non-write entries, refusals and failures, one record per patient touched. They go
 * through the group commit: one thread appends every record waiting in one transaction
 * (up to 128 records, a batch in autocommit, which PostgreSQL runs as one implicit
 * transaction: one round trip instead of two) and completes the requests' futures once it
 * has committed, so concurrent requests share a WAL flush. Meanwhile HAPI writes the
 * response into the audit filter's buffer, which lets it out only after the commit: the
 * commit overlaps with encoding the response but always precedes its first byte. A
 * request whose record cannot be committed within the commit timeout is answered 503
 * ({@code CW-AUD-001}) instead of with data.</li>
 * <li>Background jobs: a {@code server.JobDisclosure} event (a hospital's Bulk Data
 * export about to read the records linked to its patients at other hospitals) is recorded
 * by {@code AuditTrail} in the publishing thread, one record per patient with the keeping
 * hospital as custodian, through the group commit and before the job goes on; a record
 * that cannot be committed throws and fails the job.</li>
 * <li>Requests HAPI never sees (refused by Spring Security, the admin API, rejected by a
 * filter) are recorded by {@link health.crosswalk.audit.AuditFilter}, which runs first
 * and holds the response body back until the record is committed.</li>
 * <li>Chain: a background sealer appends each committed record to {@code audit_seal} with
 * {@code hash = H(previous || position || digest of every column)}, H being SHA-256 or
 * HMAC-SHA-256 with {@code crosswalk.audit.hmac-key}. Each pass seals every committed
 * record not sealed yet, in {@code (txid, seq)} order, one sealer at a time (advisory
 * lock) however many servers share the database. It does not wait for transactions still
 * open: a long transaction's records are sealed when it commits, after records that
 * committed before it, and a horizon kept with each seal (every record below that
 * transaction id is sealed) bounds what the next pass reads. The trade: a record changed
 * within the seal interval by someone with database superuser rights is not caught.
 * {@code $verify} says {@code intact} only when it checked every record of the
 * period.</li>
 * <li>API: {@code AuditEvent} is served by
 * {@link health.crosswalk.audit.AuditEventProvider} instead of HAPI's JPA provider, to
 * auditors only: read, search ({@code date}, {@code patient}, {@code agent},
 * {@code agent-name}, {@code altid}, {@code entity}, {@code type}, {@code subtype},
 * {@code action}, {@code outcome}, {@code source}, {@code request-id},
 * {@code _sort=date|-date}, offset paging), {@code $verify} and {@code $chain-head}.
 * Nothing can create, change or delete an AuditEvent through the API:
 * {@code SERVER_INCOMING_REQUEST_PRE_PROCESSED} answers such requests 405
 * ({@code CW-AUD-005}) for every role, before HAPI binds them to a method.
 * {@code SERVER_CAPABILITY_STATEMENT_GENERATED} replaces the search parameters HAPI lists
 * for AuditEvent (those of its registry) with the ones this provider answers, read from
 * its annotations ({@link health.crosswalk.audit.AuditCapability}).</li>
 * <li>The jar's command line (registry commands, no web server) records each command as
 * an administrative AuditEvent before printing its result: the command line publishes a
 * {@link health.crosswalk.hospital.CommandRun} and {@code CommandLineRecorder} listens,
 * synchronously, so the audit observes the registry rather than being called by it.</li>
 * <li>Health and metrics: the {@code audit} health component ({@code AuditHealth}, in the
 * readiness group) is DOWN while the group commit cannot commit; {@code AuditMetrics}
 * publishes its queue depth, commit latency and failures, and the sealer's lag.</li>
 * </ul>
 */
package health.crosswalk.audit;
