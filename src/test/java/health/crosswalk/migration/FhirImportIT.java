package health.crosswalk.migration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import health.crosswalk.CoreResources;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hospital's Bulk Data export imported into another hospital with the import command:
 * the same resources with the same content, references rewired to the new ids, every
 * defective record refused with its reason, and a second run that changes nothing.
 */
class FhirImportIT extends ExportedHospitalFixture {

	private static final String SOURCE = "old-ehr";

	@TempDir
	Path directory;

	@Test
	void anExportImportsIntoAnotherHospitalWithTheSameContentAndASecondRunChangesNothing() throws Exception {
		Source source = sourceHospital();
		Reference first = source.first();
		Path files = this.directory.resolve("export");
		Files.createDirectories(files);
		for (Map.Entry<String, String> file : export(source.hospital().key()).entrySet()) {
			Files.writeString(files.resolve(file.getKey() + ".ndjson"), file.getValue(), StandardCharsets.UTF_8);
		}
		// Defects: a line that is no resource, an Observation the profile refuses, and
		// one about a patient the source does not have.
		Files.writeString(files.resolve("defects.ndjson"),
				"{not json\n" + "{\"resourceType\":\"Observation\",\"id\":\"no-status\",\"code\":{\"text\":\"x\"},"
						+ "\"subject\":{\"reference\":\"" + first.getReference() + "\"}}\n"
						+ FHIR.newJsonParser()
							.encodeResourceToString(
									CoreResources.OBSERVATION.create(unique("obs"), new Reference("Patient/gone"))
										.setId("orphan"))
						+ "\n",
				StandardCharsets.UTF_8, StandardOpenOption.CREATE);

		TestHospital target = newHospital();
		Path report = this.directory.resolve("report");
		String[] command = { "import", files.toString(), "--hospital", target.slug(), "--source", "old-ehr", "--report",
				report.toString() };
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(ImportCommandLine.execute(context(), fhirBaseUrl(), command,
				new PrintStream(out, true, StandardCharsets.UTF_8)))
			.as(out.toString(StandardCharsets.UTF_8))
			.isEqualTo(1);
		JsonNode counts = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(counts.get("balanced").asBoolean()).isTrue();
		assertThat(counts.at("/types/Patient/created").asInt()).isEqualTo(2);
		assertThat(counts.at("/types/Observation/read").asInt()).isEqualTo(5);
		assertThat(counts.at("/types/Observation/created").asInt()).isEqualTo(3);
		assertThat(counts.at("/types/Observation/refused").asInt()).isEqualTo(2);
		List<String> refused = Files.readAllLines(report.resolve("import-not-imported.ndjson"));
		assertThat(refused).hasSize(3);
		assertThat(String.join("\n", refused)).contains("defects.ndjson:1", "not a FHIR resource",
				"Observation/no-status", "Observation/orphan", "gone");

		// The same content under new ids, references rewired.
		IGenericClient to = client(target.key());
		Patient copy = assertCopied(source, to, SOURCE);

		// A second run finds every record and changes none.
		assertThat(ImportCommandLine.execute(context(), fhirBaseUrl(), command,
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
			.isEqualTo(1);
		JsonNode again = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(again.at("/types/Patient/created").asInt()).isZero();
		assertThat(again.at("/types/Patient/updated").asInt()).isEqualTo(2);
		assertThat(again.at("/types/Observation/updated").asInt()).isEqualTo(3);
		assertUnchanged(to, SOURCE, source, copy);
	}

	@Test
	void aCommandWithoutWhatItNeedsIsAUsageError() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PrintStream shown = new PrintStream(out, true, StandardCharsets.UTF_8);
		assertThat(ImportCommandLine.execute(context(), fhirBaseUrl(), new String[] { "import", "--hospital", "x" },
				shown))
			.isEqualTo(2);
		assertThat(ImportCommandLine.execute(context(), fhirBaseUrl(),
				new String[] { "import", this.directory.toString(), "--hospital", "no-such-hospital" }, shown))
			.isEqualTo(1);
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage:", "'no-such-hospital' is not registered");
	}

}
