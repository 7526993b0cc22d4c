package health.crosswalk.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the application role may do, granted by the schema's owner after each migration
 * (HAPI's migrator adds tables in new versions): read and write HAPI's tables and
 * Crosswalk's, but only read and append to the audit trail, and create audit partitions
 * only through {@code ensure_audit_partition}, which runs with its owner's rights.
 */
final class ApplicationRole {

	private static final Logger log = LoggerFactory.getLogger(ApplicationRole.class);

	private ApplicationRole() {
	}

	static void grant(DataSource owner, String role) {
		String grantee = quote(role);
		try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.execute("GRANT USAGE ON SCHEMA " + CrosswalkDataSource.HAPI_SCHEMA + ", crosswalk TO " + grantee);
			statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
					+ CrosswalkDataSource.HAPI_SCHEMA + " TO " + grantee);
			statement.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "
					+ CrosswalkDataSource.HAPI_SCHEMA + ", crosswalk TO " + grantee);
			for (String table : tables(connection)) {
				String privileges = appendOnly(table) ? "SELECT, INSERT" : "SELECT, INSERT, UPDATE, DELETE";
				if (table.equals("flyway_schema_history") || readOnly(table)) {
					privileges = "SELECT";
				}
				statement.execute("REVOKE ALL ON crosswalk." + quote(table) + " FROM " + grantee);
				statement.execute("GRANT " + privileges + " ON crosswalk." + quote(table) + " TO " + grantee);
			}
			statement.execute("GRANT EXECUTE ON FUNCTION crosswalk.ensure_audit_partition(date) TO " + grantee);
			// What the migrations revoked, again: a restore without privileges
			// (pg_restore --no-privileges) loses it, and Flyway never runs them twice.
			for (String table : tables(connection)) {
				if (appendOnly(table) || readOnly(table)) {
					statement.execute("REVOKE UPDATE, DELETE, TRUNCATE ON crosswalk." + quote(table)
							+ " FROM PUBLIC, CURRENT_USER");
				}
			}
			statement.execute("REVOKE EXECUTE ON FUNCTION crosswalk.ensure_audit_partition(date) FROM PUBLIC");
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not grant the application role " + role
					+ " its privileges as the schema's owner: " + ex.getMessage(), ex);
		}
		log.info("Application role {} granted its privileges on schemas {} and crosswalk", role,
				CrosswalkDataSource.HAPI_SCHEMA);
	}

	/** The session settings {@link #sessionDefaults} manages. */
	static final List<String> SESSION_SETTINGS = List.of("statement_timeout", "idle_in_transaction_session_timeout",
			"search_path");

	/**
	 * Makes the application role's session defaults (in every database) what a
	 * transaction pooler needs; changes nothing when they already are. With no pooler
	 * ({@code wanted} empty) it changes nothing either: defaults found are only reported,
	 * since another node may still run behind a pooler, and the server's own sessions
	 * override them with startup options anyway. Setting another role's defaults needs
	 * CREATEROLE (and, from PostgreSQL 16, ADMIN OPTION on that role), so an owner
	 * without them may find them set by hand.
	 * @param owner the owner's connections
	 * @param role the application role
	 * @param wanted each managed setting's value; empty when no pooler is used
	 */
	static void sessionDefaults(DataSource owner, String role, java.util.Map<String, String> wanted) {
		java.util.Map<String, String> current = new java.util.HashMap<>();
		List<String> statements = new ArrayList<>();
		try (Connection connection = owner.getConnection()) {
			try (PreparedStatement query = connection.prepareStatement("SELECT unnest(s.setconfig) FROM "
					+ "pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = ? "
					+ "AND s.setdatabase = 0")) {
				query.setString(1, role);
				try (ResultSet rows = query.executeQuery()) {
					while (rows.next()) {
						String[] setting = rows.getString(1).split("=", 2);
						current.put(setting[0], (setting.length > 1) ? setting[1] : "");
					}
				}
			}
			for (String name : SESSION_SETTINGS) {
				String value = wanted.get(name);
				if (value != null && !value.equals(current.get(name))) {
					statements.add("ALTER ROLE " + quote(role) + " SET " + name + " = '" + value + "'");
				}
				else if (value == null && current.containsKey(name)) {
					statements.add("ALTER ROLE " + quote(role) + " RESET " + name);
				}
			}
			if (wanted.isEmpty()) {
				if (!statements.isEmpty()) {
					log.info(
							"The application role {} has session defaults, as set for a transaction pooler; "
									+ "without one they are harmless. Once no node runs behind a pooler: {}",
							role, String.join("; ", statements));
				}
				return;
			}
			try (Statement statement = connection.createStatement()) {
				for (String sql : statements) {
					statement.execute(sql);
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Behind a transaction pooler the application role " + role + " needs "
					+ "these session defaults, which the schema's owner could not set (it needs CREATEROLE, and from "
					+ "PostgreSQL 16 ADMIN OPTION on the role): " + String.join("; ", statements)
					+ ". Run them as a role that may: " + ex.getMessage(), ex);
		}
		if (!statements.isEmpty()) {
			log.info("Application role {}: {}", role, String.join("; ", statements));
		}
	}

	/**
	 * Creates the application role when it does not exist yet (a database set up before
	 * the roles were split), with the configured password; the owner needs CREATEROLE.
	 * @param owner the owner's connections
	 * @param role the application role
	 * @param password its password
	 */
	static void createIfMissing(DataSource owner, String role, String password) {
		try (Connection connection = owner.getConnection()) {
			createIfMissing(connection, role, password);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Could not create the application role " + role + " as the schema's "
							+ "owner (it needs CREATEROLE; or create the role with LOGIN yourself): " + ex.getMessage(),
					ex);
		}
	}

	private static void createIfMissing(Connection connection, String role, String password) throws SQLException {
		try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
			exists.setString(1, role);
			try (ResultSet rows = exists.executeQuery()) {
				if (rows.next()) {
					return;
				}
			}
		}
		if (password == null || password.isEmpty()) {
			throw new SQLException("the application role " + role + " does not exist, and it has no password to be "
					+ "created with (crosswalk.db.password)");
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE ROLE " + quote(role) + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
		}
		EmbeddedDatabase.setPassword(connection, role, password);
		log.info("Created the application role {}", role);
	}

	/** Tables only migrations and the schema's owner add to. */
	private static boolean readOnly(String table) {
		return table.equals("audit_archive") || table.equals("audit_dictionary");
	}

	static boolean appendOnly(String table) {
		return table.equals("audit_seal") || table.startsWith("audit_event");
	}

	private static List<String> tables(Connection connection) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (PreparedStatement query = connection.prepareStatement("SELECT c.relname FROM pg_class c "
				+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'crosswalk' "
				+ "AND c.relkind IN ('r', 'p') ORDER BY c.relname"); ResultSet rows = query.executeQuery()) {
			while (rows.next()) {
				tables.add(rows.getString(1));
			}
		}
		return tables;
	}

	private static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

}
