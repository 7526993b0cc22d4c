package health.crosswalk.database;

import java.io.IOException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool every capability shares, and the small one migrations run on. When
 * they run on the embedded PostgreSQL they own that server too, so the server stops only
 * after the pools have closed.
 *
 * <p>
 * Every session of the shared pool is bounded by PostgreSQL itself: a statement by
 * {@code statement_timeout}, a transaction waiting between statements by
 * {@code idle_in_transaction_session_timeout}. Migration sessions are not: an index on a
 * large table may take longer than any request should.
 */
final class CrosswalkDataSource extends HikariDataSource {

	private static final Logger log = LoggerFactory.getLogger(CrosswalkDataSource.class);

	static final String HAPI_SCHEMA = "public";

	private final HikariConfig migrationConfig;

	private final EmbeddedDatabase embedded;

	private final String applicationRole;

	private HikariDataSource migrations;

	private final HikariDataSource replica;

	private CrosswalkDataSource(HikariConfig config, HikariConfig migrationConfig, EmbeddedDatabase embedded,
			String applicationRole, HikariConfig replicaConfig) {
		super(config);
		this.migrationConfig = migrationConfig;
		this.embedded = embedded;
		this.applicationRole = applicationRole;
		this.replica = (replicaConfig != null) ? new HikariDataSource(replicaConfig) : null;
	}

	private final ReplicaFallback fallback = new ReplicaFallback(java.time.Clock.systemUTC());

	/**
	 * A connection from the primary, or from the read replica when one is configured and
	 * this thread's request was marked as one it may answer ({@link ReadRoute}).
	 */
	@Override
	public java.sql.Connection getConnection() throws java.sql.SQLException {
		if (this.replica != null && ReadRoute.onReplica()) {
			return this.fallback.connect(this.replica::getConnection, super::getConnection);
		}
		return super.getConnection();
	}

	/**
	 * How reads routed to the replica fare.
	 * @return the fallback, or null without a replica
	 */
	ReplicaFallback replicaFallback() {
		return (this.replica != null) ? this.fallback : null;
	}

	/**
	 * The replica's pool reports to the same registry as the primary's, as
	 * {@code hikaricp_*{pool="crosswalk-replica"}}.
	 * @param registry the meter registry
	 */
	void bindReplicaMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
		if (this.replica != null && this.replica.getMetricsTrackerFactory() == null) {
			this.replica.setMetricsTrackerFactory(
					new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
		}
	}

	static CrosswalkDataSource create(DatabaseProperties properties) {
		EmbeddedDatabase embedded = null;
		CrosswalkDataSource dataSource;
		if (properties.isExternal()) {
			log.info("Using external PostgreSQL at {}", properties.url());
		}
		else {
			embedded = EmbeddedDatabase.start(properties.embedded());
		}
		try {
			if (embedded == null && properties.hasOwner()) {
				// Before the pool's first connection: a database set up before the roles
				// were split has no application role yet.
				try (HikariDataSource owner = new HikariDataSource(migrationConfig(properties, null))) {
					ApplicationRole.createIfMissing(owner, properties.username(), properties.password());
					// Also before the first connection: a session takes the role's
					// defaults when it starts.
					ApplicationRole.sessionDefaults(owner, properties.username(),
							properties.transactionPooling() ? sessionDefaults(properties) : java.util.Map.of());
				}
			}
			HikariConfig config = connections(properties, embedded, "crosswalk", false);
			config.setMaximumPoolSize(properties.poolSize());
			config.setConnectionTimeout(properties.connectionTimeout().toMillis());
			if (!properties.transactionPooling()) {
				config.addDataSourceProperty("options", sessionOptions(properties));
			}
			String application = (embedded != null) ? EmbeddedDatabase.APPLICATION_USER
					: (properties.hasOwner() ? properties.username() : null);
			dataSource = new CrosswalkDataSource(config, migrationConfig(properties, embedded), embedded, application,
					properties.hasReplica() ? replicaConfig(properties) : null);
		}
		catch (RuntimeException ex) {
			if (embedded != null) {
				closeQuietly(embedded);
			}
			throw pooler(ex);
		}
		try {
			requireDurableCommits(dataSource);
		}
		catch (RuntimeException ex) {
			// Closes the embedded server too.
			dataSource.close();
			throw ex;
		}
		return dataSource;
	}

	/**
	 * Refuses a database whose sessions commit asynchronously: a write, and the audit
	 * record of a read, must be on disk before the response leaves.
	 * @param pool the application's pool
	 */
	static void requireDurableCommits(DataSource pool) {
		String setting;
		try (java.sql.Connection connection = pool.getConnection();
				java.sql.Statement statement = connection.createStatement();
				java.sql.ResultSet result = statement.executeQuery("SHOW synchronous_commit")) {
			result.next();
			setting = result.getString(1);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException("Could not read the database's synchronous_commit: " + ex.getMessage(), ex);
		}
		String refusal = asynchronousCommitRefusal(setting);
		if (refusal != null) {
			throw new IllegalStateException(refusal);
		}
	}

	/**
	 * Why a {@code synchronous_commit} value is refused, or null when commits wait for
	 * the WAL to reach disk ({@code local}, {@code on}, {@code remote_write},
	 * {@code remote_apply}).
	 * @param setting the value {@code SHOW synchronous_commit} gave
	 * @return the refusal, or null
	 */
	static String asynchronousCommitRefusal(String setting) {
		if (setting != null && !"off".equalsIgnoreCase(setting.trim())) {
			return null;
		}
		return "The database commits asynchronously (synchronous_commit = " + setting + "): a crash could lose "
				+ "writes and audit records the server has already answered for. Set synchronous_commit to on (or "
				+ "local, remote_write, remote_apply) for the server's role or database, for example ALTER ROLE "
				+ "<role> SET synchronous_commit = on, and start again.";
	}

	/** The longest a routed read waits for a replica connection before the primary. */
	static final java.time.Duration REPLICA_WAIT = java.time.Duration.ofSeconds(2);

	/**
	 * The read replica's pool: the application role's credentials, timeouts and TLS, on
	 * sessions that refuse to write, so that a write routed there by mistake fails
	 * instead of reaching a server that is not the primary.
	 */
	static HikariConfig replicaConfig(DatabaseProperties properties) {
		HikariConfig config = connections(properties, null, "crosswalk-replica", false);
		config.setJdbcUrl(properties.replicaUrl());
		config.setMaximumPoolSize(properties.poolSize());
		// A replica that gives no connection soon sends its reads to the primary for a
		// while (ReplicaFallback), so a routed read waits at most this long for it.
		long wait = properties.connectionTimeout().toMillis();
		config.setConnectionTimeout(
				(wait <= 0) ? REPLICA_WAIT.toMillis() : Math.max(250, Math.min(wait, REPLICA_WAIT.toMillis())));
		config.addDataSourceProperty("options", sessionOptions(properties) + " -c default_transaction_read_only=on");
		// A replica that is down does not stop the server.
		config.setInitializationFailTimeout(-1);
		return config;
	}

	/** A pooler's refusal of a startup parameter names the setting that avoids it. */
	private static RuntimeException pooler(RuntimeException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (String.valueOf(cause.getMessage()).contains("unsupported startup parameter")) {
				return new IllegalStateException(
						cause.getMessage() + ". crosswalk.db.url seems to name a connection "
								+ "pooler such as PgBouncer: set crosswalk.db.transaction-pooling=true "
								+ "(CROSSWALK_DB_TRANSACTION_POOLING) and crosswalk.db.owner-url to PostgreSQL itself",
						ex);
			}
		}
		return ex;
	}

	static HikariConfig migrationConfig(DatabaseProperties properties, EmbeddedDatabase embedded) {
		HikariConfig migrations = connections(properties, embedded, "crosswalk-migrations", true);
		migrations.setMaximumPoolSize(2);
		migrations.setMinimumIdle(0);
		migrations.setIdleTimeout(10_000);
		return migrations;
	}

	static HikariConfig connections(DatabaseProperties properties, EmbeddedDatabase embedded, String name,
			boolean owner) {
		HikariConfig config = new HikariConfig();
		config.setPoolName(name);
		config.addDataSourceProperty("ApplicationName", name);
		// Fewer round trips for HAPI's multi-row index writes.
		config.addDataSourceProperty("reWriteBatchedInserts", "true");
		boolean pooled = !owner && properties.transactionPooling();
		if (pooled) {
			// A pooler in transaction mode hands each transaction another server
			// session: no named server-side statements, and no startup
			// parameters it would refuse (search_path comes with the role).
			config.addDataSourceProperty("prepareThreshold", "0");
		}
		else {
			// HAPI's tables live in public. Without this, PostgreSQL's default
			// search path ("$user", public) would put them in our "crosswalk"
			// schema whenever the database user is also called crosswalk.
			// Crosswalk's own SQL always names its schema.
			config.addDataSourceProperty("currentSchema", HAPI_SCHEMA);
		}
		if (embedded == null) {
			config.setJdbcUrl(owner ? properties.ownerJdbcUrl() : properties.url());
			DatabaseProperties.Tls tls = properties.tls();
			if (tls.mode() != null && !tls.mode().isBlank()) {
				config.addDataSourceProperty("sslmode", tls.mode());
			}
			if (tls.rootCert() != null && !tls.rootCert().toString().isBlank()) {
				config.addDataSourceProperty("sslrootcert", tls.rootCert().toString());
			}
			boolean asOwner = owner && properties.hasOwner();
			config.setUsername(asOwner ? properties.ownerUsername() : properties.username());
			config.setPassword(asOwner ? properties.ownerPassword() : properties.password());
		}
		else {
			config.setJdbcUrl(embedded.jdbcUrl());
			config.setUsername(owner ? EmbeddedDatabase.SUPERUSER : EmbeddedDatabase.APPLICATION_USER);
			config.setPassword(owner ? embedded.superuserPassword() : embedded.applicationPassword());
		}
		return config;
	}

	/**
	 * The PostgreSQL settings every application session starts with.
	 * @param properties the database settings
	 * @return the {@code options} startup parameter
	 */
	static String sessionOptions(DatabaseProperties properties) {
		return "-c statement_timeout=" + properties.statementTimeout().toMillis()
				+ " -c idle_in_transaction_session_timeout=" + properties.idleInTransactionTimeout().toMillis();
	}

	boolean isEmbedded() {
		return this.embedded != null;
	}

	/**
	 * The pool migrations run on, opened at first use; its idle connections close after
	 * ten seconds.
	 * @return the migrations' data source
	 */
	synchronized DataSource migrations() {
		if (this.migrations == null) {
			this.migrations = new HikariDataSource(this.migrationConfig);
		}
		return this.migrations;
	}

	/**
	 * A connection of its own on the migrations' server and role, outside both pools, for
	 * {@link SessionConnections}: TCP keepalive on, and a read that waits more than half
	 * a minute for PostgreSQL fails, so a session whose server went away without a word
	 * is noticed.
	 * @return the new connection, in autocommit
	 * @throws java.sql.SQLException if PostgreSQL cannot be reached or refuses
	 */
	java.sql.Connection session() throws java.sql.SQLException {
		java.util.Properties settings = new java.util.Properties();
		settings.putAll(this.migrationConfig.getDataSourceProperties());
		settings.setProperty("user", this.migrationConfig.getUsername());
		settings.setProperty("password", this.migrationConfig.getPassword());
		settings.setProperty("ApplicationName", "crosswalk-session");
		settings.setProperty("tcpKeepAlive", "true");
		settings.setProperty("socketTimeout", "30");
		return java.sql.DriverManager.getConnection(this.migrationConfig.getJdbcUrl(), settings);
	}

	/**
	 * Grants the application role what it needs, when it is not the schema's owner.
	 */
	void grantApplicationRole() {
		if (this.applicationRole == null) {
			log.warn("The server connects as the role that owns its schema: the audit tables' privileges protect "
					+ "nothing from it. Set crosswalk.db.owner-username and -password to a separate owner role.");
			return;
		}
		ApplicationRole.grant(migrations(), this.applicationRole);
	}

	/**
	 * The settings the application role's sessions get as its defaults behind a
	 * transaction pooler, instead of {@link #sessionOptions}.
	 * @param properties the database settings
	 * @return each setting's value
	 */
	static java.util.Map<String, String> sessionDefaults(DatabaseProperties properties) {
		return java.util.Map.of("statement_timeout", properties.statementTimeout().toMillis() + "ms",
				"idle_in_transaction_session_timeout", properties.idleInTransactionTimeout().toMillis() + "ms",
				"search_path", HAPI_SCHEMA);
	}

	@Override
	public void close() {
		synchronized (this) {
			if (this.migrations != null) {
				this.migrations.close();
			}
		}
		if (this.replica != null) {
			this.replica.close();
		}
		super.close();
		if (this.embedded != null) {
			closeQuietly(this.embedded);
		}
	}

	static void closeQuietly(EmbeddedDatabase embedded) {
		try {
			embedded.close();
		}
		catch (IOException ex) {
			log.warn("Embedded PostgreSQL did not stop cleanly: {}", ex.getMessage());
		}
	}

}
