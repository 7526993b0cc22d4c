package health.crosswalk.backup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import org.postgresql.Driver;

/**
 * Where the schema owner connects, in the two forms the backup needs: libpq's environment
 * for {@code pg_dump} and {@code pg_restore} (the password never on a command line), and
 * a JDBC URL for another database of the same server.
 *
 * @param hosts the hosts, comma-separated as both libpq and pgjdbc take them
 * @param ports their ports, likewise
 * @param database the database
 * @param username the owner role
 * @param password its password
 * @param sslMode pgjdbc's {@code sslmode}, or null
 * @param sslRootCert pgjdbc's {@code sslrootcert}, or null
 * @param sslCert pgjdbc's {@code sslcert}, a client certificate, or null
 * @param sslKey pgjdbc's {@code sslkey}, its key, or null (libpq reads PEM keys only)
 */
record PgEndpoint(String hosts, String ports, String database, String username, String password, String sslMode,
		String sslRootCert, String sslCert, String sslKey) {

	/**
	 * The endpoint of a pool.
	 * @param owner the schema owner's pool (Hikari)
	 * @return its endpoint
	 */
	static PgEndpoint of(DataSource owner) {
		if (!(owner instanceof HikariConfig config)) {
			throw new IllegalArgumentException("not a pool whose settings can be read: " + owner.getClass());
		}
		Properties url = Driver.parseURL(config.getJdbcUrl(), null);
		if (url == null) {
			throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + config.getJdbcUrl());
		}
		Properties settings = new Properties();
		settings.putAll(url);
		settings.putAll(config.getDataSourceProperties());
		String sslMode = settings.getProperty("sslmode");
		if (sslMode == null && "true".equalsIgnoreCase(settings.getProperty("ssl"))) {
			// pgjdbc's ssl=true verifies the server fully; libpq's default would not.
			sslMode = "verify-full";
		}
		return new PgEndpoint(url.getProperty("PGHOST"), url.getProperty("PGPORT"), url.getProperty("PGDBNAME"),
				config.getUsername(), config.getPassword(), sslMode, settings.getProperty("sslrootcert"),
				settings.getProperty("sslcert"), settings.getProperty("sslkey"));
	}

	/**
	 * libpq's environment for a database of this server, the password left out (the tools
	 * read it from a password file).
	 * @param database the database
	 * @return variables for the client tools' process
	 */
	Map<String, String> environment(String database) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("PGHOST", this.hosts);
		environment.put("PGPORT", this.ports);
		environment.put("PGDATABASE", database);
		environment.put("PGUSER", this.username);
		if (this.sslMode != null) {
			environment.put("PGSSLMODE", this.sslMode);
		}
		if (this.sslRootCert != null) {
			environment.put("PGSSLROOTCERT", this.sslRootCert);
		}
		if (this.sslCert != null) {
			environment.put("PGSSLCERT", this.sslCert);
		}
		if (this.sslKey != null) {
			environment.put("PGSSLKEY", this.sslKey);
		}
		environment.put("PGAPPNAME", "crosswalk-backup");
		environment.put("PGCONNECT_TIMEOUT", "30");
		return environment;
	}

	/**
	 * A JDBC URL for another database of this server.
	 * @param database the database
	 * @return the URL, naming neither user nor password
	 */
	String jdbcUrl(String database) {
		String[] hostList = this.hosts.split(",");
		String[] portList = this.ports.split(",");
		StringBuilder url = new StringBuilder("jdbc:postgresql://");
		for (int i = 0; i < hostList.length; i++) {
			url.append((i > 0) ? "," : "")
				.append(hostList[i])
				.append(':')
				.append(portList[Math.min(i, portList.length - 1)]);
		}
		return url.append('/').append(database).toString();
	}

	/**
	 * pgjdbc's connection properties for {@link #jdbcUrl(String)}.
	 * @return user, password and TLS
	 */
	Properties jdbcProperties() {
		Properties properties = new Properties();
		properties.setProperty("user", this.username);
		if (this.password != null) {
			properties.setProperty("password", this.password);
		}
		if (this.sslMode != null) {
			properties.setProperty("sslmode", this.sslMode);
		}
		if (this.sslRootCert != null) {
			properties.setProperty("sslrootcert", this.sslRootCert);
		}
		if (this.sslCert != null) {
			properties.setProperty("sslcert", this.sslCert);
		}
		if (this.sslKey != null) {
			properties.setProperty("sslkey", this.sslKey);
		}
		properties.setProperty("ApplicationName", "crosswalk-backup");
		return properties;
	}

	@Override
	public String toString() {
		return this.username + "@" + this.hosts + ":" + this.ports + "/" + this.database;
	}

}
