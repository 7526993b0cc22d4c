/**
 * The hospital registry: hospitals, the identifier systems (MRN namespaces) they own, and
 * their API keys.
 *
 * <p>
 * Design:
 * <ul>
 * <li>Tables {@code crosswalk.hospital}, {@code crosswalk.hospital_identifier_system} and
 * {@code crosswalk.api_key} (Flyway). A hospital's slug and partition id never change; an
 * identifier system belongs to at most one hospital (primary key).</li>
 * <li>Registering a hospital inserts its rows, creates its HAPI partition (named by the
 * slug) and an {@code Organization} mirroring it inside that partition, all in one
 * transaction; a failure leaves nothing behind.</li>
 * <li>API keys: {@code cwk_<id>_<secret>}; only an Argon2id hash of the secret is stored,
 * with its algorithm. The key is shown once, when issued. {@code last_used_at} is written
 * at most once a minute per key and server.</li>
 * <li>Implements the security capability's {@code HospitalDirectory} and
 * {@code ApiKeyStore}; no HAPI pointcuts of its own.</li>
 * <li>What every request reads (a key with its hospital, a hospital by slug) is kept in
 * memory ({@code RegistryCache}) only while the server listens for the registry's
 * changes: {@code V23}'s triggers notify {@code crosswalk_registry} at the commit of
 * every change to a key or a hospital, whoever makes it, and the server's one listening
 * session ({@code database.Notifications}, web server only) hears them on PostgreSQL
 * itself ({@code database.SessionConnections}, past any PgBouncer). A notification, or a
 * change made through this server's registry, makes everything kept stale; while nothing
 * listens every request reads the database. An entry lasts until its key's expiry and at
 * most a minute.</li>
 * <li>Administered through {@code /admin} (admin role) and through
 * {@code java -jar crosswalk.jar hospital|key ...}. The embedded database's first start
 * registers two demo hospitals and prints dev-only keys once; any other start with no
 * administrator key logs how to make the first one from the command line.</li>
 * <li>The command line starts the application without its web server, HAPI's scheduled
 * jobs or the profiles (it writes only Organizations, which no profile covers); it
 * migrates an empty database as the server would, and each command is audited in its own
 * transaction after the command's, before its result is printed.</li>
 * </ul>
 */
package health.crosswalk.hospital;
