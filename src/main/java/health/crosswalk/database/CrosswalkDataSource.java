package health.crosswalk.database;

import java.io.IOException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool every capability shares. When it runs on the embedded PostgreSQL it
 * owns that server too, so the server stops only after the pool has closed.
 */
final class CrosswalkDataSource extends HikariDataSource {

	private static final Logger log = LoggerFactory.getLogger(CrosswalkDataSource.class);

	static final String HAPI_SCHEMA = "public";

	private final EmbeddedDatabase embedded;

	private CrosswalkDataSource(HikariConfig config, EmbeddedDatabase embedded) {
		super(config);
		this.embedded = embedded;
	}

	static CrosswalkDataSource create(DatabaseProperties properties) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("crosswalk");
		config.setMaximumPoolSize(properties.poolSize());
		config.setConnectionTimeout(properties.connectionTimeout().toMillis());
		// Fewer round trips for HAPI's multi-row index writes.
		config.addDataSourceProperty("reWriteBatchedInserts", "true");
		config.addDataSourceProperty("ApplicationName", "crosswalk");
		// HAPI's tables live in public. Without this, PostgreSQL's default search path
		// ("$user", public) would put them in our "crosswalk" schema whenever the
		// database
		// user is also called crosswalk. Crosswalk's own SQL always names its schema.
		config.addDataSourceProperty("currentSchema", HAPI_SCHEMA);
		if (properties.isExternal()) {
			config.setJdbcUrl(properties.url());
			config.setUsername(properties.username());
			config.setPassword(properties.password());
			log.info("Using external PostgreSQL at {}", properties.url());
			return new CrosswalkDataSource(config, null);
		}
		EmbeddedDatabase embedded = EmbeddedDatabase.start(properties.embedded());
		config.setJdbcUrl(embedded.jdbcUrl());
		config.setUsername(EmbeddedDatabase.USER);
		try {
			return new CrosswalkDataSource(config, embedded);
		}
		catch (RuntimeException ex) {
			closeQuietly(embedded);
			throw ex;
		}
	}

	boolean isEmbedded() {
		return this.embedded != null;
	}

	@Override
	public void close() {
		super.close();
		if (this.embedded != null) {
			closeQuietly(this.embedded);
		}
	}

	private static void closeQuietly(EmbeddedDatabase embedded) {
		try {
			embedded.close();
		}
		catch (IOException ex) {
			log.warn("Embedded PostgreSQL did not stop cleanly: {}", ex.getMessage());
		}
	}

}
