package health.crosswalk.storage;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
	 * An index's definition as {@code pg_indexes} gives it, or an empty text without one.
	 */
	static String definition(JdbcTemplate owner, String index) {
		return owner.queryForObject("SELECT coalesce((SELECT indexdef FROM pg_indexes WHERE schemaname = "
				+ "current_schema() AND indexname = ?), '')", String.class, index);
	}

	/**
	 * PostgreSQL's plan for a query, as on tables too large to scan whole: the tests' are
	 * small, and PostgreSQL would read them without any index.
	 * @param owner the schema owner's connections
	 * @param query the query, its values inline
	 * @param settings {@code SET LOCAL} settings besides sequential scans off
	 * @return the plan, a line of {@code EXPLAIN} each
	 */
	static String plan(JdbcTemplate owner, String query, String... settings) {
		List<String> lines = owner.execute((java.sql.Connection connection) -> {
			List<String> plan = new ArrayList<>();
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET LOCAL enable_seqscan = off");
				for (String setting : settings) {
					statement.execute("SET LOCAL " + setting);
				}
				try (ResultSet rows = statement.executeQuery("EXPLAIN " + query)) {
					while (rows.next()) {
						plan.add(rows.getString(1));
					}
				}
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
			return plan;
		});
		return String.join("\n", lines);
	}

}
