package health.crosswalk.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds of Crosswalk's indexes on HAPI's tables, run after HAPI's migrator: each on an
 * autocommit connection of the schema's owner (as {@code CREATE INDEX CONCURRENTLY}
 * needs), under a session advisory lock named after the index, so that two servers
 * starting at once do not build it twice.
 *
 * <p>
 * An index of HAPI's that Crosswalk redefines keeps its name, so that HAPI's migrator
 * finds it present. The new definition is built under another name before the old index
 * (or an invalid one, which an interrupted build leaves) is dropped, both
 * {@code CONCURRENTLY}, so a server still running on the database keeps working; an
 * interrupted run is finished by the next.
 */
final class IndexBuilds {

	private static final String VALID_INDEX = "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
			+ "JOIN pg_class c ON c.oid = i.indexrelid "
			+ "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ? AND i.indisvalid";

	private static final Logger log = LoggerFactory.getLogger(IndexBuilds.class);

	private IndexBuilds() {
	}

	/**
	 * Gives an index a definition under its own name: one of HAPI's another one, or one
	 * of Crosswalk's its own where it is missing or invalid.
	 * @param owner connections of the schema's owner, without statement timeout
	 * @param name the index's name
	 * @param definition what follows {@code ON}: the table, its columns and any condition
	 * @param redefined whether a valid index's definition, as PostgreSQL gives it, is
	 * already the one wanted
	 * @return whether it was built now
	 */
	static boolean redefine(DataSource owner, String name, String definition, Predicate<String> redefined) {
		return locked(owner, name, (connection, statement) -> {
			String current = definition(connection, name);
			if (current != null && redefined.test(current)) {
				return false;
			}
			long start = System.nanoTime();
			String building = name + "_cw";
			statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + building);
			statement.execute("CREATE INDEX CONCURRENTLY " + building + " ON " + definition);
			statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + name);
			statement.execute("ALTER INDEX " + building + " RENAME TO " + name);
			log.info("{} {} on {} in {} ms", name, (current != null) ? "rebuilt" : "created", definition,
					(System.nanoTime() - start) / 1_000_000);
			return true;
		});
	}

	/**
	 * Work on one index, with the statement to run it.
	 */
	@FunctionalInterface
	private interface Build {

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
	private static boolean locked(DataSource owner, String index, Build build) {
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
			throw new IllegalStateException("Could not build " + index + ": " + ex.getMessage(), ex);
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
	private static String definition(Connection connection, String index) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement(VALID_INDEX)) {
			query.setString(1, index);
			try (ResultSet result = query.executeQuery()) {
				return result.next() ? result.getString(1) : null;
			}
		}
	}

}
