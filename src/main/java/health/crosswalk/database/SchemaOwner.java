package health.crosswalk.database;

import javax.sql.DataSource;

/**
 * The role that owns the schema: migrations run as it, without the application's
 * statement and idle-in-transaction timeouts, and it grants the application role what the
 * server needs.
 */
public interface SchemaOwner {

	/**
	 * The data source migrations use.
	 * @return a small pool of its own
	 */
	DataSource dataSource();

	/**
	 * Grants the application role its privileges on every table the migrations made; run
	 * after them, at each start.
	 */
	void grantApplicationRole();

}
