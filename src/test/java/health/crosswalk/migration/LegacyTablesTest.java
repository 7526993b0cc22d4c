package health.crosswalk.migration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A legacy store's tables read from its JSON file or its SQLite file, nothing more and
 * nothing changed.
 */
class LegacyTablesTest {

	@TempDir
	Path directory;

	@Test
	void aJsonStoreGivesItsTablesOnlyAndKeepsEveryRow() throws Exception {
		Path file = Files.writeString(this.directory.resolve("store.json"),
				"{\"nextId\": 7, \"users\": [{\"ID\": 1, \"Name\": \"Ada\"}, null], \"settings\": {\"a\": 1}}",
				StandardCharsets.UTF_8);
		Map<String, List<Map<String, Object>>> tables = LegacyTables.read(file.toString(), null, null,
				List.of("users", "patients"));
		assertThat(tables.get("users")).containsExactly(Map.of("id", 1, "name", "Ada"), Map.of());
		assertThat(tables.get("patients")).isEmpty();
		Path wrong = Files.writeString(this.directory.resolve("wrong.json"), "{\"users\": {\"id\": 1}}",
				StandardCharsets.UTF_8);
		assertThatIOException().isThrownBy(() -> LegacyTables.read(wrong.toString(), null, null, List.of("users")))
			.withMessageContaining("\"users\" is not a list of rows");
	}

	@Test
	void aSqliteFileIsReadWithoutBeingCreatedOrChanged() throws Exception {
		Path file = this.directory.resolve("store.db");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE users (id INTEGER, name TEXT)");
			statement.execute("INSERT INTO users VALUES (1, 'Ada')");
		}
		long size = Files.size(file);
		Map<String, List<Map<String, Object>>> tables = LegacyTables.read(file.toString(), null, null,
				List.of("users", "patients"));
		assertThat(tables.get("users")).containsExactly(Map.of("id", 1, "name", "Ada"));
		assertThat(tables.get("patients")).isEmpty();
		assertThat(Files.size(file)).isEqualTo(size);
		Path missing = this.directory.resolve("missing.db");
		assertThatIOException().isThrownBy(() -> LegacyTables.read(missing.toString(), null, null, List.of("users")));
		assertThat(missing).doesNotExist();
	}

}
