package health.crosswalk.storage;

import javax.sql.DataSource;

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
 * by the same columns over the rows with a URL, as {@link IndexBuilds#redefine} does, and
 * creates it where HAPI's migrator skipped it.
 */
final class LinkUrlIndex {

	static final String NAME = "idx_rl_srcpath_tgturl";

	private static final String DEFINITION = "hfj_res_link (src_path, target_resource_url, partition_id, "
			+ "src_resource_id) WHERE target_resource_url IS NOT NULL";

	private LinkUrlIndex() {
	}

	/**
	 * Narrows the index, unless it already is.
	 * @param owner connections of the schema's owner, without statement timeout
	 * @return whether it was built now
	 */
	static boolean narrow(DataSource owner) {
		return IndexBuilds.redefine(owner, NAME, DEFINITION, (current) -> current.contains("WHERE"));
	}

}
