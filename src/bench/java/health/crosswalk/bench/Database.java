package health.crosswalk.bench;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.postgresql.PGConnection;

/**
 * The server's PostgreSQL seen from outside: what it has written, and what it does alone
 * with the same rows (the ceiling ingest is compared with).
 */
final class Database {

	private static final String SERVER_STATEMENTS = "query !~* '^\\s*(begin|commit|rollback|savepoint|release|set|show|discard|deallocate)\\M' "
			+ "AND query !~ '(pg_stat|pg_database_size|bench_ceiling)'";

	private final String url;

	private final String username;

	private final String password;

	Database(String url, String username, String password) {
		this.url = url;
		this.username = username;
		this.password = password;
	}

	private Connection connect() throws SQLException {
		return (this.username == null || this.username.isBlank()) ? DriverManager.getConnection(this.url)
				: DriverManager.getConnection(this.url, this.username, this.password);
	}

	/**
	 * Rows inserted, updated and deleted in every table so far, WAL bytes written and the
	 * database's size. Table statistics reach the views asynchronously, so it waits a
	 * moment first.
	 */
	Snapshot snapshot() throws SQLException, InterruptedException {
		Thread.sleep(1500);
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			Map<String, Long> inserted = new TreeMap<>();
			Map<String, Long> changed = new TreeMap<>();
			try (ResultSet rs = statement.executeQuery("SELECT schemaname || '.' || relname, n_tup_ins, "
					+ "n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
				while (rs.next()) {
					inserted.merge(partitionParent(rs.getString(1)), rs.getLong(2), Long::sum);
					changed.merge(partitionParent(rs.getString(1)), rs.getLong(3), Long::sum);
				}
			}
			long rows = inserted.values().stream().mapToLong(Long::longValue).sum()
					+ changed.values().stream().mapToLong(Long::longValue).sum();
			long wal;
			try (ResultSet rs = statement.executeQuery("SELECT wal_bytes FROM pg_stat_wal")) {
				rs.next();
				wal = rs.getLong(1);
			}
			Map<String, long[]> bytes = new TreeMap<>();
			try (ResultSet rs = statement.executeQuery("SELECT n.nspname || '.' || c.relname, pg_table_size(c.oid), "
					+ "pg_indexes_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
					+ "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
				while (rs.next()) {
					long[] sizes = bytes.computeIfAbsent(partitionParent(rs.getString(1)), (table) -> new long[2]);
					sizes[0] += rs.getLong(2);
					sizes[1] += rs.getLong(3);
				}
			}
			long size;
			try (ResultSet rs = statement.executeQuery("SELECT pg_database_size(current_database())")) {
				rs.next();
				size = rs.getLong(1);
			}
			return new Snapshot(rows, wal, size, inserted, changed, bytes);
		}
	}

	/**
	 * Empties the statement statistics, creating {@code pg_stat_statements} in a schema
	 * of the benchmark's own first.
	 * @return whether the server's PostgreSQL keeps statement statistics (the embedded
	 * one does; an external one needs {@code shared_preload_libraries} to)
	 */
	boolean resetStatements() throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA IF NOT EXISTS bench");
			statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA bench");
			statement.execute("SELECT bench.pg_stat_statements_reset()");
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * SQL statements the server executed since the last reset: transaction control and
	 * the benchmark's own statistics queries left out.
	 */
	long statements() throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT coalesce(sum(calls), 0) FROM bench.pg_stat_statements WHERE " + SERVER_STATEMENTS)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/**
	 * The statements executed most often since the last reset.
	 */
	List<StatementCount> topStatements(int limit) throws SQLException {
		List<StatementCount> top = new ArrayList<>();
		try (Connection connection = connect();
				PreparedStatement statement = connection
					.prepareStatement("SELECT calls, total_exec_time, rows, query FROM bench.pg_stat_statements WHERE "
							+ SERVER_STATEMENTS + " ORDER BY calls DESC LIMIT ?")) {
			statement.setInt(1, limit);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					top.add(new StatementCount(rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getString(4)));
				}
			}
		}
		return top;
	}

	/**
	 * What PostgreSQL alone does with the resources: COPY of all of them, and batched
	 * INSERT in transactions of one bundle each, into a scratch table with a primary key
	 * and the JSON as jsonb.
	 * @param bundles the resources of each bundle, as JSON
	 * @return rows per second of each
	 */
	Ceiling ceiling(List<List<String>> bundles) throws SQLException, IOException {
		try (Connection connection = connect()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS public.bench_ceiling");
				statement.execute("CREATE TABLE public.bench_ceiling (id uuid PRIMARY KEY, resource jsonb NOT NULL)");
			}
			StringBuilder copy = new StringBuilder();
			long rows = 0;
			for (List<String> bundle : bundles) {
				for (String json : bundle) {
					copy.append(UUID.randomUUID())
						.append('\t')
						.append(json.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"))
						.append('\n');
					rows++;
				}
			}
			long t0 = System.nanoTime();
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY public.bench_ceiling (id, resource) FROM STDIN", new StringReader(copy.toString()));
			double copySeconds = (System.nanoTime() - t0) / 1e9;
			try (Statement statement = connection.createStatement()) {
				statement.execute("TRUNCATE public.bench_ceiling");
			}
			connection.setAutoCommit(false);
			long t1 = System.nanoTime();
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT INTO public.bench_ceiling (id, resource) VALUES (?, ?::jsonb)")) {
				for (List<String> bundle : bundles) {
					for (String json : bundle) {
						insert.setObject(1, UUID.randomUUID());
						insert.setString(2, json);
						insert.addBatch();
					}
					insert.executeBatch();
					connection.commit();
				}
			}
			double insertSeconds = (System.nanoTime() - t1) / 1e9;
			connection.setAutoCommit(true);
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE public.bench_ceiling");
			}
			return new Ceiling(rows, rows / copySeconds, rows / insertSeconds);
		}
	}

	/**
	 * The audit trail's monthly partitions count as their table.
	 */
	private static String partitionParent(String table) {
		return table.replaceFirst("_(\\d{4}_\\d{2}|y\\d{4}m\\d{2}|default)$", "");
	}

	/**
	 * @param bytes each table's size: its data (heap and TOAST) and its indexes, in bytes
	 */
	record Snapshot(long rows, long walBytes, long sizeBytes, Map<String, Long> inserted, Map<String, Long> changed,
			Map<String, long[]> bytes) {

		/**
		 * Bytes each table grew by since an earlier snapshot, data and indexes apart;
		 * tables that did not grow left out.
		 */
		Map<String, long[]> bytesSince(Snapshot earlier) {
			Map<String, long[]> grown = new TreeMap<>();
			this.bytes.forEach((table, sizes) -> {
				long[] before = earlier.bytes.getOrDefault(table, new long[2]);
				long[] since = { sizes[0] - before[0], sizes[1] - before[1] };
				if (since[0] + since[1] > 0) {
					grown.put(table, since);
				}
			});
			return grown;
		}

		/**
		 * Rows inserted, and rows updated or deleted, in each table since an earlier
		 * snapshot; tables without any left out.
		 */
		Map<String, long[]> rowsSince(Snapshot earlier) {
			Map<String, long[]> written = new TreeMap<>();
			this.inserted.forEach((table, rows) -> {
				long insertedSince = rows - earlier.inserted.getOrDefault(table, 0L);
				long changedSince = this.changed.getOrDefault(table, 0L) - earlier.changed.getOrDefault(table, 0L);
				if (insertedSince + changedSince > 0) {
					written.put(table, new long[] { insertedSince, changedSince });
				}
			});
			return written;
		}

	}

	/**
	 * One statement's statistics.
	 *
	 * @param calls times executed
	 * @param totalMillis execution time summed
	 * @param rows rows returned or affected
	 * @param query the statement, constants replaced by parameters
	 */
	record StatementCount(long calls, double totalMillis, long rows, String query) {
	}

	/**
	 * PostgreSQL alone.
	 */
	record Ceiling(long rows, double copyRowsPerSecond, double insertRowsPerSecond) {
	}

}
