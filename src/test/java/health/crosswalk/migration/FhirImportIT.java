package health.crosswalk.migration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hospital's Bulk Data export imported into another hospital with the import command:
 * the same resources with the same content, references rewired to the new ids, every
 * defective record refused with its reason, and a second run that changes nothing.
 */
class FhirImportIT extends CrosswalkIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String SOURCE = "old-ehr";

	@TempDir
	Path directory;

	@Test
	void anExportImportsIntoAnotherHospitalWithTheSameContentAndASecondRunChangesNothing() throws Exception {
		TestHospital source = newHospital();
		IGenericClient from = client(source.key());
		Reference first = newPatient(from);
		Reference second = newPatient(from);
		String heartRate = from.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), first))
			.execute()
			.getId()
			.getIdPart();
		from.create().resource(CoreResources.OBSERVATION.create(unique("obs"), second)).execute();
		Observation panel = (Observation) CoreResources.OBSERVATION.create(unique("obs"), first);
		panel.addHasMember(new Reference("Observation/" + heartRate));
		String panelId = from.create().resource(panel).execute().getId().getIdPart();
		Path files = this.directory.resolve("export");
		export(source.key(), files);
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
		Patient original = from.read().resource(Patient.class).withId(first.getReferenceElement()).execute();
		Patient copy = LegacyIds.only(to, Patient.class, SOURCE, "Patient/" + first.getReferenceElement().getIdPart());
		assertThat(copy.getIdElement().getIdPart()).isNotEqualTo(first.getReferenceElement().getIdPart());
		assertThat(copy.getNameFirstRep().getFamily()).isEqualTo(original.getNameFirstRep().getFamily());
		assertThat(copy.getBirthDate()).isEqualTo(original.getBirthDate());
		assertThat(copy.getIdentifier()).anySatisfy((identifier) -> assertThat(identifier.getValue())
			.isEqualTo(original.getIdentifierFirstRep().getValue()));
		Observation panelCopy = LegacyIds.only(to, Observation.class, SOURCE, "Observation/" + panelId);
		Observation heartRateCopy = LegacyIds.only(to, Observation.class, SOURCE, "Observation/" + heartRate);
		assertThat(panelCopy.getSubject().getReferenceElement().getIdPart()).isEqualTo(copy.getIdElement().getIdPart());
		assertThat(panelCopy.getHasMemberFirstRep().getReferenceElement().getIdPart())
			.isEqualTo(heartRateCopy.getIdElement().getIdPart());
		assertThat(heartRateCopy.getValueQuantity().getValue()).isEqualByComparingTo(
				((Observation) from.read().resource(Observation.class).withId(heartRate).execute()).getValueQuantity()
					.getValue());

		// A second run finds every record and changes none.
		assertThat(ImportCommandLine.execute(context(), fhirBaseUrl(), command,
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
			.isEqualTo(1);
		JsonNode again = JSON.readTree(report.resolve("import-report.json").toFile());
		assertThat(again.at("/types/Patient/created").asInt()).isZero();
		assertThat(again.at("/types/Patient/updated").asInt()).isEqualTo(2);
		assertThat(again.at("/types/Observation/updated").asInt()).isEqualTo(3);
		assertThat(count(to, "Patient")).isEqualTo(2);
		assertThat(count(to, "Observation")).isEqualTo(3);
		assertThat(LegacyIds.only(to, Patient.class, SOURCE, "Patient/" + first.getReferenceElement().getIdPart())
			.getMeta()
			.getVersionId()).isEqualTo(copy.getMeta().getVersionId());
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

	private static int count(IGenericClient client, String type) {
		return client.search()
			.forResource(type)
			.summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
			.returnBundle(Bundle.class)
			.execute()
			.getTotal();
	}

	private void export(String key, Path files) throws Exception {
		Files.createDirectories(files);
		FhirHttp http = new FhirHttp(serverUrl());
		HttpResponse<String> kickOff = http.send("GET", "/fhir/$export?_type=Patient,Observation", key, null, null,
				"Prefer", "respond-async");
		assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
		URI status = URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());
		String statusPath = status.getRawPath() + "?" + status.getRawQuery();
		HttpResponse<String>[] done = new HttpResponse[1];
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
			done[0] = http.get(statusPath, key);
			return done[0].statusCode() != 202;
		});
		assertThat(done[0].statusCode()).as(done[0].body()).isEqualTo(200);
		HttpClient raw = HttpClient.newHttpClient();
		for (JsonNode output : JSON.readTree(done[0].body()).get("output")) {
			HttpResponse<String> file = raw.send(HttpRequest.newBuilder(URI.create(output.get("url").asText()))
				.header("Accept", "application/fhir+ndjson")
				.header("Authorization", "Bearer " + key)
				.build(), BodyHandlers.ofString());
			assertThat(file.statusCode()).isEqualTo(200);
			Files.writeString(files.resolve(output.get("type").asText() + ".ndjson"), file.body(),
					StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
	}

}
