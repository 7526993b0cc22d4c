package health.crosswalk.database;

import javax.sql.DataSource;

/**
 * Where migrations run: connections without the application's statement and
 * idle-in-transaction timeouts.
 */
public interface SchemaOwner {

	/**
	 * The data source migrations use.
	 * @return a small pool of its own
	 */
	DataSource dataSource();

}
