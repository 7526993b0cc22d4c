package health.crosswalk.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Builds of Crosswalk's indexes on HAPI's tables, run after HAPI's migrator: each on an
 * autocommit connection of the schema's owner (as {@code CREATE INDEX CONCURRENTLY}
 * needs), under a session advisory lock named after the index, so that two servers
 * starting at once do not build it twice.
 */
final class IndexBuilds {

	private static final String VALID_INDEX = "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
			+ "JOIN pg_class c ON c.oid = i.indexrelid "
			+ "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ? AND i.indisvalid";

	private IndexBuilds() {
	}

	/**
	 * Work on one index, with the statement to run it.
	 */
	@FunctionalInterface
	interface Build {

		/**
		 * @return whether an index was built
		 */
		boolean run(Connection connection, Statement statement) throws SQLException;

	}

	/**
	 * Runs a build under the index's lock.
	 * @param owner connections of the schema's owner, without statement timeout
	 * @param index the index's name, which names the lock
	 * @param build what to do
	 * @return what the build returns
	 * @throws IllegalStateException if the database refuses
	 */
	static boolean locked(DataSource owner, String index, Build build) {
		try (Connection connection = owner.getConnection()) {
			connection.setAutoCommit(true);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT pg_advisory_lock(hashtext('crosswalk:" + index + "'))");
				try {
					return build.run(connection, statement);
				}
				finally {
					statement.execute("SELECT pg_advisory_unlock(hashtext('crosswalk:" + index + "'))");
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not build " + index + " on hfj_res_link: " + ex.getMessage(), ex);
		}
	}

	/**
	 * An index's definition as PostgreSQL gives it, or null without a valid one (an
	 * interrupted {@code CONCURRENTLY} build leaves an invalid one behind).
	 * @param connection a connection whose search path finds HAPI's tables
	 * @param index the index's name
	 * @return the definition, or null
	 * @throws SQLException if the catalog cannot be read
	 */
	static String definition(Connection connection, String index) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement(VALID_INDEX)) {
			query.setString(1, index);
			try (ResultSet result = query.executeQuery()) {
				return result.next() ? result.getString(1) : null;
			}
		}
	}

}
