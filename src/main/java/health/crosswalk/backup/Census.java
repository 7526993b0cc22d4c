package health.crosswalk.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a database holds, in figures a restore must reproduce exactly: the rows of every
 * table of both schemas (HAPI's {@code public}, Crosswalk's {@code crosswalk}), the
 * current resources per hospital and type, a digest of each migration history, large
 * objects, and the head of the audit chain.
 *
 * @param tables rows per table, {@code schema.table}, partitions of the audit trail each
 * on its own
 * @param resources current (not deleted) resources per hospital slug (or
 * {@code partition <id>}, {@code default}) and type
 * @param flywayHistory rows and SHA-256 of Crosswalk's Flyway history
 * @param hapiHistory rows and SHA-256 of HAPI's migration history
 * @param largeObjects PostgreSQL large objects (HAPI's older binary storage)
 * @param sealPosition position of the audit chain's head, 0 when nothing is sealed
 * @param sealHash its hash, hex, or null
 * @param unsealed audit records not sealed yet
 */
record Census(Map<String, Long> tables, Map<String, Map<String, Long>> resources, String flywayHistory,
		String hapiHistory, long largeObjects, long sealPosition, String sealHash, long unsealed) {

	static final List<String> SCHEMAS = List.of("public", "crosswalk");

	/**
	 * Counts what the connection's transaction sees.
	 * @param connection a connection to the database, ideally in a repeatable-read
	 * transaction
	 * @return the figures
	 * @throws SQLException if the database fails
	 */
	static Census take(Connection connection) throws SQLException {
		Map<String, Long> tables = new TreeMap<>();
		String flyway = null;
		String hapi = null;
		for (String[] table : tables(connection)) {
			tables.put(table[0], count(connection, "SELECT count(*) FROM " + table[1]));
			if (table[0].equals("crosswalk.flyway_schema_history")) {
				flyway = digest(connection, table[1]);
			}
			else if (table[0].equalsIgnoreCase("public.fly_hfj_migration")) {
				hapi = digest(connection, table[1]);
			}
		}
		Map<String, Map<String, Long>> resources = new TreeMap<>();
		if (tables.containsKey("public.hfj_resource") && tables.containsKey("crosswalk.hospital")) {
			try (PreparedStatement statement = connection.prepareStatement("SELECT coalesce(h.slug, CASE WHEN "
					+ "r.partition_id IS NULL THEN 'default' ELSE 'partition ' || r.partition_id END), r.res_type, "
					+ "count(*) FROM public.hfj_resource r LEFT JOIN crosswalk.hospital h "
					+ "ON h.partition_id = r.partition_id WHERE r.res_deleted_at IS NULL GROUP BY 1, 2");
					ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					resources.computeIfAbsent(rows.getString(1), (hospital) -> new TreeMap<>())
						.put(rows.getString(2), rows.getLong(3));
				}
			}
		}
		long position = 0;
		String hash = null;
		long unsealed = 0;
		if (tables.containsKey("crosswalk.audit_seal")) {
			try (PreparedStatement statement = connection.prepareStatement(
					"SELECT position, encode(hash, 'hex') FROM crosswalk.audit_seal ORDER BY position DESC LIMIT 1");
					ResultSet rows = statement.executeQuery()) {
				if (rows.next()) {
					position = rows.getLong(1);
					hash = rows.getString(2);
				}
			}
			unsealed = count(connection, "SELECT count(*) FROM crosswalk.audit_event e WHERE NOT EXISTS "
					+ "(SELECT 1 FROM crosswalk.audit_seal s WHERE s.event_id = e.id)");
		}
		long largeObjects = count(connection, "SELECT count(*) FROM pg_largeobject_metadata");
		return new Census(tables, resources, flyway, hapi, largeObjects, position, hash, unsealed);
	}

	/**
	 * What differs from another census, as sentences; empty when they are equal.
	 * @param restored the census of the restored copy
	 * @return the differences
	 */
	List<String> differences(Census restored) {
		List<String> found = new ArrayList<>();
		for (String table : union(this.tables, restored.tables)) {
			Long source = this.tables.get(table);
			Long copy = restored.tables.get(table);
			if (!java.util.Objects.equals(source, copy)) {
				found.add("table " + table + ": " + rows(source) + " in the backup's source, " + rows(copy)
						+ " restored");
			}
		}
		for (String hospital : union(this.resources, restored.resources)) {
			Map<String, Long> source = this.resources.getOrDefault(hospital, Map.of());
			Map<String, Long> copy = restored.resources.getOrDefault(hospital, Map.of());
			for (String type : union(source, copy)) {
				long a = source.getOrDefault(type, 0L);
				long b = copy.getOrDefault(type, 0L);
				if (a != b) {
					found.add(hospital + " " + type + ": " + a + " resources in the source, " + b + " restored");
				}
			}
		}
		same(found, "Crosswalk's migration history (Flyway)", this.flywayHistory, restored.flywayHistory);
		same(found, "HAPI's migration history", this.hapiHistory, restored.hapiHistory);
		if (this.largeObjects != restored.largeObjects) {
			found.add("large objects: " + this.largeObjects + " in the source, " + restored.largeObjects + " restored");
		}
		if (this.sealPosition != restored.sealPosition || !java.util.Objects.equals(this.sealHash, restored.sealHash)) {
			found.add("audit chain head: position " + this.sealPosition + " " + this.sealHash + " in the source, "
					+ restored.sealPosition + " " + restored.sealHash + " restored");
		}
		if (this.unsealed != restored.unsealed) {
			found
				.add("unsealed audit records: " + this.unsealed + " in the source, " + restored.unsealed + " restored");
		}
		return found;
	}

	long resourceCount() {
		return this.resources.values()
			.stream()
			.flatMap((types) -> types.values().stream())
			.mapToLong(Long::longValue)
			.sum();
	}

	private static void same(List<String> found, String what, String source, String copy) {
		if (!java.util.Objects.equals(source, copy)) {
			found.add(what + ": " + source + " in the source, " + copy + " restored");
		}
	}

	private static String rows(Long rows) {
		return (rows != null) ? rows + " rows" : "no table";
	}

	private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
		java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.keySet());
		keys.addAll(b.keySet());
		return List.copyOf(keys);
	}

	/** Each table of both schemas: its name and its quoted name. */
	private static List<String[]> tables(Connection connection) throws SQLException {
		List<String[]> tables = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("SELECT n.nspname || '.' || c.relname, "
				+ "quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
				+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY (?) AND c.relkind = 'r' "
				+ "ORDER BY 1")) {
			statement.setArray(1, connection.createArrayOf("text", SCHEMAS.toArray()));
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					tables.add(new String[] { rows.getString(1), rows.getString(2) });
				}
			}
		}
		return tables;
	}

	private static long count(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet rows = statement.executeQuery()) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/** Rows and SHA-256 over every row's text, in order: equal only for equal tables. */
	private static String digest(Connection connection, String table) throws SQLException {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			long rows = 0;
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT t::text FROM " + table + " t ORDER BY t::text COLLATE \"C\"");
					ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					sha.update(result.getString(1).getBytes(StandardCharsets.UTF_8));
					sha.update((byte) '\n');
					rows++;
				}
			}
			return rows + " rows, sha256 " + HexFormat.of().formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
