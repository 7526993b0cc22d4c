package health.crosswalk.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The tables of a legacy store as rows of column values: from a JDBC URL (PostgreSQL,
 * SQLite), a SQLite file ({@code .db}, {@code .sqlite}) or a JSON file of the shape
 * {@code {"table": [{"column": value}, ...]}}. Column names are lower case; a table the
 * store does not have is empty.
 */
final class LegacyTables {

	private LegacyTables() {
	}

	/**
	 * Reads tables.
	 * @param location a {@code jdbc:} URL or a JSON file
	 * @param user the JDBC user, or null
	 * @param password the JDBC password, or null
	 * @param tables the tables wanted
	 * @return the rows of each table, by table name
	 * @throws IOException if the store cannot be read
	 */
	static Map<String, List<Map<String, Object>>> read(String location, String user, String password,
			List<String> tables) throws IOException {
		if (location.matches("(?i).*\\.(db|sqlite|sqlite3)$") && !location.startsWith("jdbc:")) {
			// Read-only: a file is never created or changed by the import.
			return fromJdbc("jdbc:sqlite:" + location + "?open_mode=1", user, password, tables);
		}
		return location.startsWith("jdbc:") ? fromJdbc(location, user, password, tables)
				: fromJson(Path.of(location), tables);
	}

	private static Map<String, List<Map<String, Object>>> fromJson(Path file, List<String> tables) throws IOException {
		ObjectMapper mapper = new ObjectMapper();
		// Only the tables wanted are read; other members of the file (counters, settings)
		// are not tables.
		JsonNode all = mapper.readTree(file.toFile());
		Map<String, List<Map<String, Object>>> wanted = new LinkedHashMap<>();
		for (String table : tables) {
			List<Map<String, Object>> rows = new ArrayList<>();
			JsonNode found = (all != null) ? all.get(table) : null;
			if (found != null && !found.isNull() && !found.isArray()) {
				throw new IOException(file + ": \"" + table + "\" is not a list of rows");
			}
			for (JsonNode node : (found != null && found.isArray()) ? found : mapper.createArrayNode()) {
				Map<String, Object> row = node.isObject()
						? mapper.convertValue(node, new TypeReference<Map<String, Object>>() {
						}) : null;
				// A null row stays a row: the mapping refuses it for what it lacks.
				Map<String, Object> lower = new LinkedHashMap<>();
				if (row != null) {
					row.forEach((column, value) -> lower.put(column.toLowerCase(Locale.ROOT), value));
				}
				rows.add(lower);
			}
			wanted.put(table, rows);
		}
		return wanted;
	}

	private static Map<String, List<Map<String, Object>>> fromJdbc(String url, String user, String password,
			List<String> tables) throws IOException {
		Map<String, List<Map<String, Object>>> wanted = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection(url, user, password)) {
			readOnly(connection);
			for (String table : tables) {
				List<Map<String, Object>> rows = new ArrayList<>();
				if (exists(connection, table)) {
					// Table names are the mapping's own constants, never input.
					try (Statement statement = connection.createStatement();
							ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
						ResultSetMetaData columns = result.getMetaData();
						while (result.next()) {
							Map<String, Object> row = new LinkedHashMap<>();
							for (int i = 1; i <= columns.getColumnCount(); i++) {
								// Timestamps without a zone stay local (--timezone).
								Object value = (columns.getColumnType(i) == Types.TIMESTAMP)
										? result.getObject(i, LocalDateTime.class) : result.getObject(i);
								row.put(columns.getColumnLabel(i).toLowerCase(Locale.ROOT), value);
							}
							rows.add(row);
						}
					}
				}
				wanted.put(table, rows);
			}
		}
		catch (SQLException ex) {
			throw new IOException(
					"Could not read " + url.replaceAll("password=[^&;]*", "password=...") + ": " + ex.getMessage(), ex);
		}
		return wanted;
	}

	/**
	 * The import only reads; a driver that cannot say so afterwards (SQLite) reads all
	 * the same.
	 */
	private static void readOnly(Connection connection) {
		try {
			connection.setReadOnly(true);
		}
		catch (SQLException ex) {
			// Nothing is written either way.
		}
	}

	private static boolean exists(Connection connection, String table) throws SQLException {
		try (ResultSet found = connection.getMetaData().getTables(null, null, null, new String[] { "TABLE" })) {
			while (found.next()) {
				if (found.getString("TABLE_NAME").equalsIgnoreCase(table)) {
					return true;
				}
			}
		}
		return false;
	}

}
