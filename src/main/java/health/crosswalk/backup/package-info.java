/**
 * Backups that are proven: {@code java -jar crosswalk.jar backup} and
 * {@code restore --verify}.
 *
 * <p>
 * Design:
 * <ul>
 * <li>Command line only, no beans: the commands read the settings and open the schema
 * owner's connections ({@link health.crosswalk.database.OwnerConnections}); the server
 * need not run (an embedded database must not be in use by one).</li>
 * <li>A backup is PostgreSQL's own {@code pg_dump} of both schemas (custom format, large
 * objects included), from {@code crosswalk.backup.pg-bin} or the {@code PATH}: a logical
 * dump any PostgreSQL of the same major version or newer restores. It reads a snapshot
 * exported by a repeatable-read transaction in which the census of the manifest
 * ({@link health.crosswalk.backup.Census}: rows per table, resources per hospital and
 * type, migration histories, audit chain head) was taken, so the manifest is exact for a
 * server under load. Reads and writes go on meanwhile; pg_dump's share locks make DDL
 * wait (the audit's monthly partition is made under a short lock timeout and retried),
 * and the long snapshot holds back vacuum while the dump runs.</li>
 * <li>Written under a temporary name, renamed when whole, then the manifest (the backup's
 * commit); rotation (grandfather-father-son, UTC) removes only finished backups named by
 * this package.</li>
 * <li>{@code restore --verify} restores into a scratch database of the same server, so
 * the owner needs CREATEDB; it compares the copy's census with the manifest, verifies the
 * copy's whole audit chain with {@link health.crosswalk.audit.ChainCheck} (and that it
 * still ends at the recorded head), and drops the scratch database in any case.</li>
 * <li>Trade-off: a logical dump is a copy at one instant, not point-in-time recovery;
 * that is WAL archiving's job on an external PostgreSQL (see the operations page). A dump
 * restored into another cluster starts that cluster's transaction ids afresh; the
 * operations page says what that means for the audit sealer.</li>
 * </ul>
 */
package health.crosswalk.backup;
