package health.crosswalk.database;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Connections of their own, outside both pools, on PostgreSQL itself (never through a
 * transaction pooler, which would hand a session's later statements to another server
 * session): for a session whose state must last between transactions, such as
 * {@code LISTEN}. They connect as the schema's owner, as migrations do, and the caller
 * closes them.
 */
@FunctionalInterface
public interface SessionConnections {

	/**
	 * Opens a connection, in autocommit.
	 * @return the new connection
	 * @throws SQLException if PostgreSQL cannot be reached or refuses
	 */
	Connection open() throws SQLException;

}
