package health.crosswalk.database;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The schema owner's connections for a command that must not start the server, such as
 * {@code db status}: the same settings ({@code crosswalk.db.*}) and, by default, the same
 * embedded database, started and stopped around the command.
 */
public final class OwnerConnections implements AutoCloseable {

	private final HikariDataSource owner;

	private final EmbeddedDatabase embedded;

	private OwnerConnections(HikariDataSource owner, EmbeddedDatabase embedded) {
		this.owner = owner;
		this.embedded = embedded;
	}

	/**
	 * Opens the owner's connections as the server's migrations would, and nothing else:
	 * no application pool, no application role created.
	 * @param environment where {@code crosswalk.db.*} is read
	 * @return the connections, to close after use
	 */
	public static OwnerConnections open(Environment environment) {
		DatabaseProperties properties = Binder.get(environment).bindOrCreate("crosswalk.db", DatabaseProperties.class);
		EmbeddedDatabase embedded = properties.isExternal() ? null : EmbeddedDatabase.start(properties.embedded());
		try {
			return new OwnerConnections(new HikariDataSource(CrosswalkDataSource.migrationConfig(properties, embedded)),
					embedded);
		}
		catch (RuntimeException ex) {
			if (embedded != null) {
				CrosswalkDataSource.closeQuietly(embedded);
			}
			throw ex;
		}
	}

	/**
	 * The schema owner's connections, on which migrations run.
	 * @return the data source
	 */
	public DataSource owner() {
		return this.owner;
	}

	@Override
	public void close() {
		this.owner.close();
		if (this.embedded != null) {
			CrosswalkDataSource.closeQuietly(this.embedded);
		}
	}

}
