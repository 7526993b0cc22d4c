package health.crosswalk.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EmbeddedDatabaseTest {

	@TempDir
	Path temp;

	@Test
	void failureSaysWhyAndHowToUseAnExternalDatabase() throws Exception {
		Path notAFolder = Files.writeString(this.temp.resolve("occupied"), "a file where the data folder should be");

		assertThatExceptionOfType(EmbeddedDatabase.EmbeddedDatabaseException.class)
			.isThrownBy(
					() -> EmbeddedDatabase.start(new DatabaseProperties.Embedded(notAFolder, 0, Duration.ofSeconds(5))))
			.withMessageContaining(notAFolder.toString())
			.withMessageContaining("FileAlreadyExistsException")
			.withMessageContaining("CROSSWALK_DB_URL=jdbc:postgresql://")
			.withMessageContaining("CROSSWALK_DB_EMBEDDED_DATA_DIR");
	}

}
