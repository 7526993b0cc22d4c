package health.crosswalk.storage;

import health.crosswalk.database.SchemaOwner;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the tests of Crosswalk's indexes on HAPI's tables read of the catalog, on the
 * schema owner's connections, by a query of their own rather than the code under test.
 */
final class IndexDefinitions {

	private IndexDefinitions() {
	}

	static JdbcTemplate owner(ApplicationContext context) {
		return new JdbcTemplate(context.getBean(SchemaOwner.class).dataSource());
	}

	/**
	 * An index's definition on {@code hfj_res_link} as {@code pg_indexes} gives it, or an
	 * empty text without one.
	 */
	static String definition(JdbcTemplate owner, String index) {
		return owner.queryForObject(
				"SELECT coalesce((SELECT indexdef FROM pg_indexes WHERE schemaname = "
						+ "current_schema() AND tablename = 'hfj_res_link' AND indexname = ?), '')",
				String.class, index);
	}

}
