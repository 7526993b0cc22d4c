package health.crosswalk.database;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Crosswalk's PostgreSQL is ({@code crosswalk.db.*}).
 *
 * <p>
 * With no {@code url}, Crosswalk starts an embedded PostgreSQL whose files live in
 * {@code embedded.dataDir}. With a {@code url}, it connects to that database instead.
 *
 * @param url JDBC URL of an external PostgreSQL; empty starts the embedded one
 * @param username the application role of the external database: the server's own
 * connections
 * @param password its password
 * @param ownerUsername the role that owns the schema of the external database, which
 * migrations run as and which grants the application role what it needs; empty means the
 * application role owns the schema itself (then nothing keeps the server from changing
 * the audit tables' privileges)
 * @param ownerPassword its password
 * @param ownerUrl JDBC URL the owner's connections (migrations, grants, the command
 * line's backups) take instead of {@code url}: PostgreSQL itself when {@code url} is a
 * connection pooler; empty takes {@code url}
 * @param transactionPooling whether {@code url} is a pooler in transaction mode
 * (PgBouncer {@code pool_mode = transaction}): the server's sessions then hold no state
 * between transactions (no server-side prepared statements, no startup options) and get
 * their timeouts and search path as the application role's defaults, set by the owner at
 * each start. Needs a separate owner and {@code owner-url}
 * @param replicaUrl JDBC URL of a read replica (a hot standby of the database): reads and
 * searches go there, on sessions that cannot write, with the application role's
 * credentials; empty sends everything to the primary
 * @param poolSize most connections held by the pool (the replica's pool is as large)
 * @param connectionTimeout how long a request waits for a pooled connection
 * @param statementTimeout the longest one SQL statement of the application may run
 * (PostgreSQL {@code statement_timeout}); it is then cancelled and its transaction rolled
 * back
 * @param idleInTransactionTimeout the longest a transaction may wait for its next
 * statement (PostgreSQL {@code idle_in_transaction_session_timeout}); its session is then
 * ended and its transaction rolled back. No shorter than
 * {@code crosswalk.limits.max-transaction-time} (10 minutes): HAPI validates a bundle's
 * entries just before its commit, without a statement in between
 * @param tls TLS to an external PostgreSQL
 * @param embedded settings of the embedded PostgreSQL (dev and single-node use)
 */
@ConfigurationProperties("crosswalk.db")
record DatabaseProperties(String url, String username, String password, String ownerUsername, String ownerPassword,
		String ownerUrl, @DefaultValue("false") boolean transactionPooling, String replicaUrl,
		@DefaultValue("10") int poolSize, @DefaultValue("10s") Duration connectionTimeout,
		@DefaultValue("60s") Duration statementTimeout, @DefaultValue("10m") Duration idleInTransactionTimeout,
		@DefaultValue Tls tls, @DefaultValue Embedded embedded) {

	DatabaseProperties {
		if (url != null && !url.isBlank() && !url.startsWith("jdbc:postgresql:")) {
			throw new IllegalArgumentException(
					"crosswalk.db.url (CROSSWALK_DB_URL) must be a PostgreSQL JDBC URL such as "
							+ "jdbc:postgresql://db.example.org:5432/crosswalk, but was '" + url + "'");
		}
		requireTimeout("crosswalk.db.statement-timeout (CROSSWALK_DB_STATEMENT_TIMEOUT)", statementTimeout);
		requireTimeout("crosswalk.db.idle-in-transaction-timeout (CROSSWALK_DB_IDLE_IN_TRANSACTION_TIMEOUT)",
				idleInTransactionTimeout);
		if (url != null && (url.contains("sslmode=") || url.contains("sslrootcert=")) && tls != null
				&& ((tls.mode() != null && !tls.mode().isBlank()) || tls.rootCert() != null)) {
			throw new IllegalArgumentException("crosswalk.db.url (CROSSWALK_DB_URL) sets sslmode or sslrootcert, "
					+ "which would override crosswalk.db.tls.*: set TLS in one place, not both");
		}
		if (ownerUrl != null && !ownerUrl.isBlank() && !ownerUrl.startsWith("jdbc:postgresql:")) {
			throw new IllegalArgumentException("crosswalk.db.owner-url (CROSSWALK_DB_OWNER_URL) must be a PostgreSQL "
					+ "JDBC URL, but was '" + ownerUrl + "'");
		}
		if (transactionPooling && (url == null || url.isBlank() || ownerUrl == null || ownerUrl.isBlank()
				|| ownerUsername == null || ownerUsername.isBlank() || ownerUsername.equals(username))) {
			throw new IllegalArgumentException("crosswalk.db.transaction-pooling (CROSSWALK_DB_TRANSACTION_POOLING) "
					+ "needs crosswalk.db.url to name the pooler, crosswalk.db.owner-url to name PostgreSQL itself "
					+ "(migrations and backups need a session of their own) and a separate owner role "
					+ "(crosswalk.db.owner-username), which sets the application role's session defaults");
		}
		if (replicaUrl != null && !replicaUrl.isBlank()) {
			if (!replicaUrl.startsWith("jdbc:postgresql:")) {
				throw new IllegalArgumentException("crosswalk.db.replica-url (CROSSWALK_DB_REPLICA_URL) must be a "
						+ "PostgreSQL JDBC URL, but was '" + replicaUrl + "'");
			}
			if (url == null || url.isBlank() || transactionPooling) {
				throw new IllegalArgumentException("crosswalk.db.replica-url (CROSSWALK_DB_REPLICA_URL) needs an "
						+ "external primary (crosswalk.db.url) reached without a transaction pooler");
			}
		}
		if (poolSize < 2) {
			throw new IllegalArgumentException(
					"crosswalk.db.pool-size (CROSSWALK_DB_POOL_SIZE) must be at least 2, but was " + poolSize);
		}
	}

	private static void requireTimeout(String name, Duration timeout) {
		if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException(name + " must be between 1s and 1h, but was " + timeout);
		}
	}

	boolean hasOwner() {
		return this.ownerUsername != null && !this.ownerUsername.isBlank() && !this.ownerUsername.equals(this.username);
	}

	/**
	 * The URL the owner's connections take.
	 * @return {@code owner-url}, or {@code url} when it is empty
	 */
	String ownerJdbcUrl() {
		return (this.ownerUrl != null && !this.ownerUrl.isBlank()) ? this.ownerUrl : this.url;
	}

	boolean hasReplica() {
		return this.replicaUrl != null && !this.replicaUrl.isBlank();
	}

	boolean isExternal() {
		return this.url != null && !this.url.isBlank();
	}

	/**
	 * TLS to an external PostgreSQL (pgjdbc's {@code sslmode} and {@code sslrootcert});
	 * the embedded one listens on localhost only, without TLS.
	 *
	 * @param mode {@code disable}, {@code allow}, {@code prefer}, {@code require},
	 * {@code verify-ca} or {@code verify-full}; empty keeps the driver's default
	 * ({@code prefer}, which falls back to plain text) or what the URL says
	 * @param rootCert the CA certificate (PEM) that signed the server's, for
	 * {@code verify-ca} and {@code verify-full}; empty uses the driver's default location
	 */
	record Tls(String mode, Path rootCert) {

		static final java.util.Set<String> MODES = java.util.Set.of("disable", "allow", "prefer", "require",
				"verify-ca", "verify-full");

		Tls {
			if (mode != null && !mode.isBlank() && !MODES.contains(mode)) {
				throw new IllegalArgumentException("crosswalk.db.tls.mode (CROSSWALK_DB_TLS_MODE) must be one of "
						+ new java.util.TreeSet<>(MODES) + ", but was '" + mode + "'");
			}
			if (rootCert != null && !rootCert.toString().isBlank() && !java.nio.file.Files.isReadable(rootCert)) {
				throw new IllegalArgumentException("crosswalk.db.tls.root-cert (CROSSWALK_DB_TLS_ROOT_CERT) names "
						+ rootCert + ", which is not a readable file");
			}
		}

	}

	/**
	 * The embedded PostgreSQL.
	 *
	 * @param dataDir folder holding the database files; kept across restarts
	 * @param port TCP port on localhost; 0 picks a free one at each start
	 * @param startupTimeout how long to wait for the embedded server to accept
	 * connections
	 */
	record Embedded(@DefaultValue("data/postgres") Path dataDir, @DefaultValue("0") int port,
			@DefaultValue("60s") Duration startupTimeout) {
	}

}
