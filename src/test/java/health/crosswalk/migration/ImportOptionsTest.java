package health.crosswalk.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The import command's arguments: what each format needs, refused with what to fix.
 */
class ImportOptionsTest {

	@TempDir
	Path directory;

	private ImportCommandLine.Options parse(String... args) {
		return ImportCommandLine.Options.parse(args);
	}

	@Test
	void eachFormatTakesWhatItNeeds() throws Exception {
		Path file = Files.createFile(this.directory.resolve("a.ndjson"));
		ImportCommandLine.Options fhir = parse("import", file.toString(), this.directory.toString(), "--hospital",
				"h1");
		assertThat(fhir.format()).isEqualTo("fhir");
		assertThat(fhir.source()).isEqualTo("fhir");
		assertThat(fhir.paths()).hasSize(2);
		ImportCommandLine.Options jdbc = parse("import", "--format", "mediconnect", "jdbc:postgresql://db/old",
				"--hospital", "h1", "--timezone", "Africa/Nairobi", "--dry-run");
		assertThat(jdbc.location()).isEqualTo("jdbc:postgresql://db/old");
		assertThat(jdbc.zone()).isEqualTo(ZoneId.of("Africa/Nairobi"));
		assertThat(jdbc.source()).isEqualTo("mediconnect");
		assertThat(jdbc.dryRun()).isTrue();
		assertThat(parse("import", "--format", "medipact", file.toString()).hospital()).isNull();
	}

	@Test
	void aCommandMissingOrMisnamingSomethingSaysWhat() throws Exception {
		Path file = Files.createFile(this.directory.resolve("a.ndjson"));
		assertThatIllegalArgumentException().isThrownBy(() -> parse("import", file.toString()))
			.withMessageContaining("--hospital");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("import", "--hospital", "h1"))
			.withMessageContaining("Name what to import");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse("import", this.directory.resolve("missing").toString(), "--hospital", "h1"))
			.withMessageContaining("No file or directory");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse("import", "--format", "csv", file.toString(), "--hospital", "h1"))
			.withMessageContaining("--format must be one of");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("import", "jdbc:sqlite:x.db", "--hospital", "h1"))
			.withMessageContaining("not JDBC URLs");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse("import", "--format", "medipact", file.toString(), "--hospital", "h1"))
			.withMessageContaining("leave out --hospital");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse("import", file.toString(), "--hospital", "h1", "--source", "Old EHR"))
			.withMessageContaining("--source must be");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse("import", file.toString(), "--hospital", "h1", "--timezone", "Mars/Olympus"))
			.withMessageContaining("no time zone");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("import", file.toString(), "--hospital"))
			.withMessageContaining("needs a value");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse("import", file.toString(), "--hospital", "h1", "--colour", "red"))
			.withMessageContaining("Unknown option --colour");
	}

	@Test
	void aMediPactHospitalIdBecomesASlug() {
		assertThat(MediPactImport.slugOf("MP-KE-001")).isEqualTo("mp-ke-001");
		assertThat(MediPactImport.slugOf("  St. Mary's #2 ")).isEqualTo("st-mary-s-2");
		assertThat(MediPactImport.slugOf("---")).isNull();
		assertThat(MediPactImport.slugOf("x".repeat(80))).hasSize(63);
	}

}
