package health.crosswalk.storage;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAPI's index for references by URL, {@code IDX_RL_SRCPATH_TGTURL} (path, target URL,
 * partition, source) on {@code HFJ_RES_LINK}, narrowed to the rows that have a URL.
 *
 * <p>
 * HAPI stores a URL only for a reference by absolute or canonical URL; every other
 * reference (a Synthea feed's, all of them) has a null there, yet gets an index entry of
 * its path and source: about 0.45 KiB per resource stored. HAPI's searches use the index
 * only with an equality (or IN list) on the URL, which the narrowed index answers as
 * well, and HAPI's own migrator treats it as optional (its task is skipped by default on
 * an existing database). After HAPI's migrator, this replaces a full index of that name
 * by the same columns over the rows with a URL, under the same name, so that HAPI's
 * migrator finds it present; and creates it where HAPI's migrator skipped it. It builds
 * the new index before dropping the old one, both {@code CONCURRENTLY}, so a server still
 * running on the database keeps working, under {@link IndexBuilds}' lock. An interrupted
 * run is finished by the next.
 */
final class LinkUrlIndex {

	static final String NAME = "idx_rl_srcpath_tgturl";

	private static final String BUILDING = NAME + "_cw";

	private static final String COLUMNS = "hfj_res_link (src_path, target_resource_url, partition_id, src_resource_id)";

	private static final String CONDITION = "target_resource_url IS NOT NULL";

	private static final Logger log = LoggerFactory.getLogger(LinkUrlIndex.class);

	private LinkUrlIndex() {
	}

	/**
	 * Narrows the index, unless it already is.
	 * @param owner connections of the schema's owner, without statement timeout
	 * @return whether it was built now
	 */
	static boolean narrow(DataSource owner) {
		return IndexBuilds.locked(owner, NAME, (connection, statement) -> {
			String definition = IndexBuilds.definition(connection, NAME);
			if (definition != null && definition.contains("WHERE")) {
				return false;
			}
			long start = System.nanoTime();
			statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + BUILDING);
			statement.execute("CREATE INDEX CONCURRENTLY " + BUILDING + " ON " + COLUMNS + " WHERE " + CONDITION);
			statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + NAME);
			statement.execute("ALTER INDEX " + BUILDING + " RENAME TO " + NAME);
			log.info("{} {} over the references by URL alone in {} ms", NAME,
					(definition != null) ? "rebuilt" : "created", (System.nanoTime() - start) / 1_000_000);
			return true;
		});
	}

}
