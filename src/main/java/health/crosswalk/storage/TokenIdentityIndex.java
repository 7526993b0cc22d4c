package health.crosswalk.storage;

import javax.sql.DataSource;

/**
 * HAPI's index of token rows by parameter, {@code IDX_SP_TOKEN_HASH_V2} on
 * {@code HFJ_SPIDX_TOKEN}, without the system and code it also holds.
 *
 * <p>
 * HAPI defines it as (parameter hash, system, code, resource, partition) "for sorting",
 * but reaches it only through the parameter's hash: a search sorted by a token joins each
 * result's token rows of that parameter and sorts them in memory (the join is an outer
 * one, whose order an index cannot give), and {@code :missing}, which Crosswalk refuses,
 * would ask whether a resource has such a row. A search by a code or a system uses HAPI's
 * other token indexes. No query of the benchmark used it, yet it was the largest index in
 * the database: each of a resource's three or four token rows puts its system and code in
 * it again.
 *
 * <p>
 * After HAPI's migrator, this gives it the columns HAPI's queries look it up by, (hash,
 * resource, partition), under its own name, as {@link IndexBuilds#redefine} does. A sort
 * by a token then reads the system and code of the rows it joins from the table.
 */
final class TokenIdentityIndex {

	static final String NAME = "idx_sp_token_hash_v2";

	private static final String DEFINITION = "hfj_spidx_token (hash_identity, res_id, partition_id)";

	private TokenIdentityIndex() {
	}

	/**
	 * Narrows the index, unless it already is.
	 * @param owner connections of the schema's owner, without statement timeout
	 * @return whether it was built now
	 */
	static boolean narrow(DataSource owner) {
		return IndexBuilds.redefine(owner, NAME, DEFINITION, (current) -> !current.contains("sp_system"));
	}

}
