/**
 * HAPI FHIR JPA storage on PostgreSQL.
 *
 * <p>
 * Design:
 * <ul>
 * <li>Imports HAPI's own configurations ({@code JpaR4Config}, {@code HapiJpaConfig},
 * {@code JpaBatch2Config}, {@code Batch2JobsConfig}, {@code SubscriptionChannelConfig},
 * {@code ThreadPoolFactoryConfig}) and supplies what they expect: storage and partition
 * settings, the entity manager factory and the transaction manager. These HAPI
 * configurations reference each other in cycles;
 * {@code spring.main.allow-circular-references} is set for them and for nothing
 * else.</li>
 * <li>Schema: {@link health.crosswalk.storage.HapiSchemaMigration} runs HAPI's migrator
 * (history table {@code FLY_HFJ_MIGRATION}) before the entity manager factory is built;
 * Hibernate then only validates ({@code hbm2ddl=validate}). After it,
 * {@link health.crosswalk.storage.LinkUrlIndex} narrows HAPI's index for references by
 * URL ({@code IDX_RL_SRCPATH_TGTURL}) to the references that have a URL, under the same
 * name: HAPI's migrator finds it present, and its searches use it as before;
 * {@link health.crosswalk.storage.TokenIdentityIndex} narrows HAPI's index of token rows
 * by parameter ({@code IDX_SP_TOKEN_HASH_V2}) to the parameter's hash, resource and
 * partition, the columns HAPI looks it up by, also under the same name; and
 * {@link health.crosswalk.storage.LinkTargetIndex} adds an index of Crosswalk's on the
 * references' target, source and partition, which reads a patient's compartment for
 * {@code $everything} in row order. All three are built {@code CONCURRENTLY} under an
 * advisory lock ({@link health.crosswalk.storage.IndexBuilds}).</li>
 * <li>{@link health.crosswalk.storage.CrosswalkStorageSettings} holds every storage
 * choice with its reason; those for write speed: the display text of codes is not indexed
 * ({@code :text} on a token answers 400), index rows carry hashes only, and tags,
 * profiles and security labels stay inline in the resource body, indexed as search
 * parameters. Hibernate batches inserts and updates 50 at a time, ordered by table.</li>
 * <li>{@link health.crosswalk.storage.InsertFinalState}, a Hibernate flush listener
 * (registered through {@code hibernate.integrator_provider}), writes a new resource's
 * {@code HFJ_RESOURCE} and {@code HFJ_RES_VER} rows once with their final values: HAPI
 * changes both after persisting them (the resolved resource's hash and index flags, the
 * version's request id), which Hibernate would otherwise write as an insert followed by
 * an update of the same row.</li>
 * <li>{@link health.crosswalk.storage.IndexOnceTransactionProcessor}, primary over HAPI's
 * transaction processor, keeps HAPI's first pass over a bundle's plain creates from
 * extracting search parameters and encoding JSON the second pass extracts and encodes
 * again, through HAPI's own skip-indexing mark and an "externally stored" address, both
 * taken off between the passes.</li>
 * <li>{@link health.crosswalk.storage.KeptFhirPaths}, primary over HAPI's R4
 * search-parameter extractor (HAPI's stays a bean, unused), keeps each FHIRPath
 * expression parsed in a map and evaluates it with an engine that keeps the core type
 * definitions it looks up, where HAPI asks two expiring caches on every evaluation; an
 * expression that could reach HAPI's host services ({@code resolve()}, constants) is left
 * to HAPI's engine.</li>
 * <li>{@link health.crosswalk.storage.IdCache}, primary over HAPI's memory caches, keeps
 * resource identities (type, id and partition to row, and back) up to
 * {@code crosswalk.storage.id-cache.size} entries for
 * {@code crosswalk.storage.id-cache.expiry} after each was written, where HAPI keeps
 * 10,000 for a minute: with expunge off an identity can only be wrong about deletion,
 * which HAPI reads again from the row wherever it matters but for a patient-level bulk
 * export's Patients.</li>
 * <li>{@link health.crosswalk.storage.PageLoads} wraps HAPI's repository of resource
 * versions (a bean post-processor) so that the query loading a page of search results
 * binds one parameter per row instead of a list, whose plan Hibernate 6.6 would not keep;
 * it runs in the search's transaction, and the server refuses to start if HAPI's query is
 * not the one it replaces.</li>
 * <li>{@link health.crosswalk.storage.CurrentVersionReads} wraps HAPI's repository of
 * resources (a bean post-processor) so that a read by partition and id loads the
 * resource's current version in the same query and hands it to the resource, as HAPI does
 * once it has loaded it: a read by id costs one query instead of two. It runs in the
 * caller's transaction; where its join finds no row, HAPI's query answers, and the server
 * refuses to start if HAPI's query is not the one it replaces.</li>
 * <li>{@link health.crosswalk.storage.StoredTextReads}, on the RestfulServer's
 * interceptor service ({@code SERVER_OUTGOING_RESPONSE} and
 * {@code SERVER_OUTGOING_WRITER_CREATED} at {@code Pipeline.STORED_TEXT}, after the audit
 * record; {@code SERVER_INCOMING_REQUEST_PRE_PROCESSED} to forget the last request's
 * text), answers a read by id without parameters, in JSON and not pretty printed, with
 * the stored text {@link health.crosswalk.storage.CurrentVersionReads} loaded, behind
 * HAPI's encoding of the resource's id and meta: HAPI's headers, HAPI's writer, the bytes
 * HAPI's encoder would write. Patients, Binaries, Bundles and Parameters, and every read
 * while a hook Crosswalk does not know sees resources shown, are encoded by HAPI.</li>
 * <li>{@link health.crosswalk.storage.ReadOnlyReads} replaces HAPI's transaction service
 * (a bean post-processor, the same collaborators autowired) so that the transactions a
 * read by id or version begins are read-only: Hibernate neither flushes them nor checks
 * what they load for changes. A read made inside another transaction joins it, and the
 * system's own work is not marked.</li>
 * <li>{@link health.crosswalk.storage.ImplicitReads}: the query that loads a resource
 * read by id (in {@link health.crosswalk.storage.CurrentVersionReads} and
 * {@link health.crosswalk.storage.IdentityReads}), while its read-only transaction has
 * sent nothing else, runs in autocommit, PostgreSQL's implicit transaction: the driver
 * then sends no {@code COMMIT} at the end, a round trip saved. Only where the sessions
 * default to read committed (asked once at start), where a statement's snapshot is its
 * own inside a transaction or out; anything sent after it opens the transaction as
 * before.</li>
 * <li>{@link health.crosswalk.storage.IdentityReads} replaces HAPI's identity service (a
 * bean post-processor, the same collaborators autowired) so that a single identity not in
 * the cache, asked for in a read-only transaction for one partition, is found by the
 * query that loads the resource with its current version: the identity cache answers
 * HAPI, counting its miss, with the lookup HAPI's criteria query would have made, and
 * {@link health.crosswalk.storage.CurrentVersionReads} answers the row from the same
 * transaction. Everything else, and a resource that query does not find, is resolved by
 * HAPI.</li>
 * <li>{@link health.crosswalk.storage.SearchTotals} wraps HAPI's search coordinator (a
 * bean post-processor) so that a stored search ({@code $everything}, history) that asked
 * for no accurate total is answered "no total" from memory, where HAPI reads the search
 * back in a transaction of its own three or four times a page to find that out.</li>
 * <li>{@link health.crosswalk.storage.SearchParameterSubset} decides which of FHIR R4's
 * search parameters are indexed ({@code crosswalk.storage.search-parameters.*}):
 * references and shared parameters always, the listed ones of the core types, everything
 * of other types but the composites HAPI cannot search. It reaches HAPI's registry as
 * overrides of the specification's definitions through
 * {@link health.crosswalk.storage.SubsetSearchParamProvider}, which wraps HAPI's
 * search-parameter provider (a bean post-processor: HAPI's bean is primary) and is put
 * into effect, and checked, before the server takes requests.</li>
 * <li>{@link health.crosswalk.storage.ClusterOnceJobs} replaces HAPI's job factory (a
 * bean post-processor) so that each firing of a job on HAPI's clustered scheduler, an
 * in-memory Quartz on each server, first claims the job for one interval in
 * {@code crosswalk.scheduled_job_lease} (one autocommit statement) and keeps it an
 * interval past the run: servers sharing the database run each clustered job on one
 * server at a time, about once per interval between them.</li>
 * <li>{@link health.crosswalk.storage.BeforeCommit} queues work for the end of a write's
 * transaction (audit records of writes, linkage), found through the transaction's
 * resources in constant time.</li>
 * <li>{@code db status} and {@code db migrate} ({@code DatabaseCommandLine}): status
 * reads both migration histories on the owner's connections ({@code SchemaStatus},
 * Flyway's info and HAPI's history against the tasks in the jar) without starting the
 * server or changing anything; migrate starts the application without its web server,
 * which migrates as a start does, and stops.</li>
 * </ul>
 * Transactions: HAPI opens one per REST interaction (one for a whole transaction bundle).
 * No interceptors of its own.
 */
package health.crosswalk.storage;
