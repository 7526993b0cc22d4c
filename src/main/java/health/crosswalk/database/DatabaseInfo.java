package health.crosswalk.database;

/**
 * What other capabilities may know of the database.
 */
public interface DatabaseInfo {

	/**
	 * Whether Crosswalk runs on its embedded PostgreSQL (development and single-node
	 * use).
	 * @return true for the embedded database
	 */
	boolean isEmbedded();

}
