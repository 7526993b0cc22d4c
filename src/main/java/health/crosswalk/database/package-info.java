/**
 * PostgreSQL connectivity and Crosswalk's own schema.
 *
 * <p>
 * Design:
 * <ul>
 * <li>One Hikari pool ({@code crosswalk.db.*}) serves HAPI and every capability. Without
 * {@code crosswalk.db.url} the pool owns an embedded PostgreSQL 15 whose files live in
 * {@code crosswalk.db.embedded.data-dir}; closing the pool stops that server, so Spring
 * shuts them down in the right order. The embedded server preloads
 * {@code pg_stat_statements}, as managed PostgreSQL services do, so that
 * {@code CREATE EXTENSION pg_stat_statements} shows what the server spends its time on
 * (the benchmark counts SQL statements per resource and request with it).</li>
 * <li>Every session of that pool starts with PostgreSQL's {@code statement_timeout} and
 * {@code idle_in_transaction_session_timeout} ({@code crosswalk.db.statement-timeout},
 * {@code crosswalk.db.idle-in-transaction-timeout}), so the database itself ends a
 * statement or a transaction that would hold a connection too long; the server kernel
 * answers that 503 ({@code CW-SRV-002}, {@code CW-SRV-003}). Migrations (Flyway's and
 * HAPI's) run on a small pool of their own without those bounds
 * ({@link health.crosswalk.database.SchemaOwner}), whose connections close when
 * idle.</li>
 * <li>Least privilege: the pool connects as an application role; migrations run as the
 * schema's owner, which then grants the application role DML on HAPI's tables and
 * Crosswalk's, SELECT and INSERT only on the audit trail, and EXECUTE on the
 * {@code SECURITY DEFINER} function that creates audit partitions
 * ({@code ApplicationRole}, at each start, since HAPI's migrator adds tables). The
 * embedded database always works so: its superuser owns the schema, the server connects
 * as {@code crosswalk_app}, and both passwords are generated at its first start and kept
 * in {@code <data folder>.credentials} (owner-only); its {@code pg_hba.conf} asks every
 * connection for a password (scram-sha-256). An external database does so when
 * {@code crosswalk.db.owner-username} is set.</li>
 * <li>Crosswalk's tables live in the schema {@code crosswalk}, migrated by Flyway from
 * {@code classpath:db/crosswalk} ({@code V<n>__<verb>_<object>.sql}). HAPI's tables stay
 * in {@code public} under HAPI's own migrator (see {@code health.crosswalk.storage}):
 * Flyway refuses a non-empty schema it did not create, and baselining would skip our
 * first migration.</li>
 * <li>Durable commits: the embedded server runs with {@code synchronous_commit = on} (the
 * embedding library's default is off), and the pool refuses at start a database whose
 * sessions would commit with it off: a write, and the audit record of every request, is
 * on disk before the response leaves.</li>
 * <li>Health: Spring Boot's {@code db} indicator checks connectivity; {@code pool}
 * reports pool occupancy.</li>
 * <li>{@link health.crosswalk.database.SessionConnections} opens single connections
 * outside both pools, as the owner on PostgreSQL itself (never through a transaction
 * pooler), for sessions whose state lasts between transactions ({@code LISTEN}).</li>
 * <li>{@link health.crosswalk.database.Notifications} is each server's one such session
 * listening for PostgreSQL's notifications (web server only): capabilities subscribe to a
 * channel before the server starts and are told when it listens, when it stops, and what
 * arrives. It reconnects every 5 s and checks the session every 10 s.</li>
 * <li>{@code OwnerConnections} opens the owner's connections alone (and the embedded
 * database when it is the default), for a command that must not start the server.</li>
 * </ul>
 * No HAPI pointcuts; no transactions of its own.
 */
package health.crosswalk.database;
