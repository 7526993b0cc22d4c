package health.crosswalk.limits;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;

import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request limits over HTTP. The integration tests' server runs with a body limit of
 * {@value #BODY_LIMIT} bytes ({@code crosswalk.limits.max-body-size}, set for every
 * integration test) and the shipped string and decimal limits.
 */
class LimitsIT extends CrosswalkIntegrationTest {

	static final int BODY_LIMIT = 4 * 1024 * 1024;

	private static final String FHIR_JSON = "application/fhir+json";

	@Test
	void refusesABodyWhoseContentLengthIsOverTheLimitBeforeReadingIt() throws IOException {
		try (Socket socket = new Socket("localhost", URI.create(serverUrl()).getPort())) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + hospital().key()
					+ "\r\nContent-Type: " + FHIR_JSON + "\r\nContent-Length: " + (BODY_LIMIT + 1) + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			// The answer comes before the body is sent; the body never is.
			socket.setSoTimeout(30_000);
			InputStream in = socket.getInputStream();
			StringBuilder response = new StringBuilder();
			byte[] buffer = new byte[8192];
			int read;
			while (!response.toString().contains("max-body-size") && (read = in.read(buffer)) > 0) {
				response.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			}
			assertThat(response.toString()).startsWith("HTTP/1.1 413").contains("CW-LIM-001");
		}
	}

	@Test
	void refusesAChunkedBodyOverTheLimit() throws Exception {
		String padding = " ".repeat(BODY_LIMIT);
		InputStream body = new SequenceInputStream(
				new ByteArrayInputStream(CoreResources.patientJson("Chunked", "").getBytes(StandardCharsets.UTF_8)),
				new ByteArrayInputStream(padding.getBytes(StandardCharsets.UTF_8)));
		HttpResponse<String> response = chunked("/fhir/Patient", body);
		FhirHttp.assertOutcome(response, 413, "CW-LIM-001");
	}

	@Test
	void acceptsAChunkedBodyWithinTheLimit() throws Exception {
		String family = unique("Chunked").replace("-", "");
		HttpResponse<String> response = chunked("/fhir/Patient",
				new ByteArrayInputStream(CoreResources.patientJson(family, "").getBytes(StandardCharsets.UTF_8)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(new FhirHttp(serverUrl()).get("/fhir/Patient?family=" + family, hospital().key()).body())
			.contains(family);
	}

	@Test
	void refusesADecimalThatCouldNotBeReadBackAndStoresNothing() {
		Reference patient = newPatient(client());
		String identifier = unique("poison");
		for (String value : new String[] { "1e-999999", "1e999999", "1e-70" }) {
			Observation observation = CoreResources.observation(CoreResources.identifier(identifier), patient, "8867-4",
					new Date());
			String json = FHIR.newJsonParser()
				.encodeResourceToString(observation)
				.replace("\"value\":72", "\"value\":" + value);
			assertThat(json).contains(value);
			FhirHttp.assertOutcome(
					new FhirHttp(serverUrl()).send("POST", "/fhir/Observation", hospital().key(), FHIR_JSON, json), 400,
					"CW-LIM-003");
		}
		Bundle found = client().search()
			.forResource(Observation.class)
			.where(Observation.IDENTIFIER.exactly().systemAndCode(CoreResources.IDENTIFIER_SYSTEM, identifier))
			.returnBundle(Bundle.class)
			.execute();
		assertThat(found.getEntry()).as("nothing was stored").isEmpty();
	}

	@Test
	void acceptsLargeButWritableDecimalsAndReadsThemBack() {
		Reference patient = newPatient(client());
		Observation observation = CoreResources.observation(CoreResources.identifier(unique("decimal")), patient,
				"8867-4", new Date());
		String json = FHIR.newJsonParser()
			.encodeResourceToString(observation)
			.replace("\"value\":72", "\"value\":1.5e-7");
		HttpResponse<String> created = new FhirHttp(serverUrl()).send("POST", "/fhir/Observation", hospital().key(),
				FHIR_JSON, json);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String location = created.headers().firstValue("Location").orElseThrow();
		String id = location.replaceAll(".*/Observation/([^/]+)/.*", "$1");
		HttpResponse<String> read = new FhirHttp(serverUrl()).get("/fhir/Observation/" + id, hospital().key());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(FHIR.newJsonParser().parseResource(Observation.class, read.body()).getValueQuantity().getValue())
			.isEqualByComparingTo("0.00000015");
	}

	@Test
	void refusesAResourceWithMoreElementsThanTheLimitBeforeValidatingIt() {
		String family = unique("Many").replace("-", "");
		Patient patient = new Patient();
		patient.addName().setFamily(family).addGiven("Ida");
		for (int i = 0; i < 20_000; i++) {
			patient.addIdentifier().setSystem("urn:oid:1.2.3").setValue("v" + i);
		}
		FhirHttp http = new FhirHttp(serverUrl());
		long start = System.nanoTime();
		HttpResponse<String> response = http.send("POST", "/fhir/Patient", hospital().key(), FHIR_JSON,
				FHIR.newJsonParser().encodeResourceToString(patient));
		FhirHttp.assertOutcome(response, 413, "CW-LIM-010");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused before the validator spends minutes")
			.isLessThan(Duration.ofSeconds(30));
		assertThat(http.get("/fhir/Patient?family=" + family, hospital().key()).body()).doesNotContain("Ida");
	}

	@Test
	void refusesAStringOverTheLimitInsideATransaction() {
		Reference patient = newPatient(client());
		Observation observation = CoreResources.observation(CoreResources.identifier(unique("long")), patient, "8867-4",
				new Date());
		observation.getCode().setText("x".repeat(1_048_577));
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		transaction.addEntry()
			.setResource(observation)
			.getRequest()
			.setMethod(Bundle.HTTPVerb.POST)
			.setUrl("Observation");
		HttpResponse<String> response = new FhirHttp(serverUrl()).send("POST", "/fhir", hospital().key(), FHIR_JSON,
				FHIR.newJsonParser().encodeResourceToString(transaction));
		FhirHttp.assertOutcome(response, 400, "CW-LIM-002");
	}

	@Test
	void refusesAJsonBodyThatIsNotUtf8() throws Exception {
		String family = unique("M\u00fcller").replace("-", "");
		HttpRequest request = HttpRequest.newBuilder(URI.create(fhirBaseUrl() + "/Patient"))
			.header("Authorization", "Bearer " + hospital().key())
			.header("Content-Type", FHIR_JSON)
			.POST(BodyPublishers
				.ofByteArray(CoreResources.patientJson(family, "").getBytes(StandardCharsets.ISO_8859_1)))
			.build();
		FhirHttp.assertOutcome(HttpClient.newHttpClient().send(request, BodyHandlers.ofString()), 400, "CW-LIM-004");
	}

	@Test
	void refusesTooManyOrTooLongParametersInAQueryOrAForm() throws Exception {
		FhirHttp http = new FhirHttp(serverUrl());
		String many = "family=x" + "&given=y".repeat(100);
		FhirHttp.assertOutcome(http.get("/fhir/Patient?" + many, hospital().key()), 400, "CW-LIM-005");
		FhirHttp.assertOutcome(
				http.send("POST", "/fhir/Patient/_search", hospital().key(), "application/x-www-form-urlencoded", many),
				400, "CW-LIM-005");
		FhirHttp.assertOutcome(http.send("POST", "/fhir/Patient/_search", hospital().key(),
				"application/x-www-form-urlencoded", "family=" + "x".repeat(8193)), 400, "CW-LIM-005");
		// Within the limit: whatever HAPI makes of so long a name, not this limit.
		assertThat(http
			.send("POST", "/fhir/Patient/_search", hospital().key(), "application/x-www-form-urlencoded",
					"family=" + "x".repeat(8000))
			.body()).doesNotContain("CW-LIM-005");
		String hundred = "family=x" + java.util.stream.IntStream.range(0, 99)
			.mapToObj((i) -> "&given=y" + i)
			.collect(java.util.stream.Collectors.joining());
		assertThat(http.get("/fhir/Patient?" + hundred, hospital().key()).statusCode()).isEqualTo(200);
	}

	@Test
	void refusesABirthDateWithATimeBeforeLinkageReadsIt() {
		String json = CoreResources.patientJson(unique("Timed").replace("-", ""), "")
			.replace("\"birthDate\":\"1970-01-01\"", "\"birthDate\":\"1970-01-01T10:00:00Z\"");
		assertThat(json).contains("T10:00:00Z");
		FhirHttp.assertOutcome(
				new FhirHttp(serverUrl()).send("POST", "/fhir/Patient", hospital().key(), FHIR_JSON, json), 400,
				"CW-LIM-006");
	}

	@Test
	void leavesABinarysOwnContentUnread() {
		// An MD5 in a PDF reads like 204e9800998 to a number scan; it is not JSON.
		HttpResponse<String> response = new FhirHttp(serverUrl()).send("POST", "/fhir/Binary", hospital().key(),
				"application/pdf", "%PDF-1.4 /ID [<d41d8cd98f00b204e9800998ecf8427e>] \u00e9");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
	}

	@ParameterizedTest
	@ValueSource(strings = { "transaction", "batch" })
	void refusesABundleOfMoreEntriesThanTheLimitBeforeProcessingAny(String type) {
		String family = unique("Entries").replace("-", "");
		StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"" + type
				+ "\",\"entry\":[{\"resource\":" + CoreResources.patientJson(family, "")
				+ ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
		// One more than the shipped limit of 20,000.
		for (int i = 0; i < 20_000; i++) {
			bundle.append(",{\"request\":{\"method\":\"GET\",\"url\":\"Patient?family=").append(family).append("\"}}");
		}
		bundle.append("]}");
		FhirHttp http = new FhirHttp(serverUrl());
		OperationOutcome outcome = FhirHttp.assertOutcome(
				http.send("POST", "/fhir", hospital().key(), FHIR_JSON, bundle.toString()), 413, "CW-LIM-007");
		assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TOOCOSTLY);
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("20001 entries")
			.contains("crosswalk.limits.max-bundle-entries");
		assertThat(FHIR.newJsonParser()
			.parseResource(Bundle.class, http.get("/fhir/Patient?family=" + family, hospital().key()).body())
			.getEntry()).as("no entry was processed").isEmpty();
	}

	@Test
	void refusesJsonNestedDeeperThanTheLimitBeforeParsingIt() {
		FhirHttp http = new FhirHttp(serverUrl());
		String family = unique("Deep").replace("-", "");
		// 40 nested extensions: 1 + 2 levels each, 81 deep, within Jackson's own 1,000.
		String nested = "{\"url\":\"http://example.org/x\",\"valueString\":\"x\"}";
		for (int i = 0; i < 40; i++) {
			nested = "{\"url\":\"http://example.org/x\",\"extension\":[" + nested + "]}";
		}
		String deep = CoreResources.patientJson(family, "\"extension\":[" + nested + "]");
		OperationOutcome outcome = FhirHttp
			.assertOutcome(http.send("POST", "/fhir/Patient", hospital().key(), FHIR_JSON, deep), 400, "CW-LIM-008");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("crosswalk.limits.max-json-depth");
		// Far beyond what Jackson itself would take, and in a transaction.
		String abyss = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":" + "[".repeat(200_000)
				+ "]".repeat(200_000) + "}";
		FhirHttp.assertOutcome(http.send("POST", "/fhir", hospital().key(), FHIR_JSON, abyss), 400, "CW-LIM-008");
		// Every Content-Type HAPI parses as JSON is scanned, not only the standard ones.
		for (String contentType : new String[] { "text/json", "application/json+fhir", "json",
				"application/fhir+json, text/plain" }) {
			FhirHttp.assertOutcome(http.send("POST", "/fhir/Patient", hospital().key(), contentType, deep), 400,
					"CW-LIM-008");
		}
		assertThat(FHIR.newJsonParser()
			.parseResource(Bundle.class, http.get("/fhir/Patient?family=" + family, hospital().key()).body())
			.getEntry()).as("nothing stored").isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 64, 450, 600, 2_000, 50_000 })
	void refusesXmlNestedDeeperThanTheLimitBeforeParsingIt(int depth) {
		// At 450 the validator's stack overflowed, at 600 the JSON for storage could not
		// be written, both 500s; from 1,000 the parser refused it.
		HttpResponse<String> response = new FhirHttp(serverUrl()).send("POST", "/fhir/Patient", hospital().key(),
				"application/fhir+xml", xmlPatientNested(depth));
		FhirHttp.assertOutcome(response, 400, "CW-LIM-008");
		assertThat(response.body()).contains("crosswalk.limits.max-xml-depth");
	}

	@Test
	void acceptsXmlWithinTheDepthLimit() {
		// Patient, 61 extensions, the innermost one's valueString: 63 levels.
		HttpResponse<String> response = new FhirHttp(serverUrl()).send("POST", "/fhir/Patient", hospital().key(),
				"application/fhir+xml", xmlPatientNested(61));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
	}

	private String xmlPatientNested(int depth) {
		String patient = FHIR.newXmlParser()
			.encodeResourceToString(
					FHIR.newJsonParser().parseResource(CoreResources.patientJson(unique("Xml").replace("-", ""), "")));
		String start = "<Patient xmlns=\"http://hl7.org/fhir\">";
		assertThat(patient).startsWith(start);
		return start + "<extension url=\"http://example.org/x\">".repeat(depth)
				+ "<extension url=\"http://example.org/x\"><valueString value=\"x\"/></extension>"
				+ "</extension>".repeat(depth) + patient.substring(start.length());
	}

	@Test
	void searchesWithTheModifiersFhirDefines() {
		FhirHttp http = new FhirHttp(serverUrl());
		String family = unique("Modifier").replace("-", "");
		HttpResponse<String> created = http.send("POST", "/fhir/Patient", hospital().key(), FHIR_JSON,
				CoreResources.patientJson(family, ""));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/Patient/([^/]+)/.*", "$1");
		client().create()
			.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), new Reference("Patient/" + id),
					"8867-4", new Date()))
			.execute();
		for (String query : new String[] { "Patient?family:exact=" + family,
				"Patient?family=" + family + "&gender:not=male", "Observation?subject:Patient.family=" + family,
				"Observation?subject.family=" + family, "Observation?subject:Patient=" + id,
				"Observation?subject=" + id + "&code:not=http://loinc.org%7C1-8",
				"Patient?_has:Observation:subject:code=http://loinc.org%7C8867-4&family=" + family }) {
			HttpResponse<String> found = http.get("/fhir/" + query, hospital().key());
			assertThat(found.statusCode()).as(query + ": " + found.body()).isEqualTo(200);
			assertThat(FHIR.newJsonParser().parseResource(Bundle.class, found.body()).getEntry()).as(query).hasSize(1);
		}
		// Defined by FHIR, whatever HAPI makes of them here: not this limit.
		for (String query : new String[] { "Patient?family:contains=" + family.substring(3),
				"Observation?code:below=http://loinc.org%7C8867-4",
				"Patient?identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203%7CMR%7C1" }) {
			HttpResponse<String> answer = http.get("/fhir/" + query, hospital().key());
			assertThat(answer.body()).as(query).doesNotContain("CW-LIM-009");
			assertThat(answer.statusCode()).as(query).isLessThan(500);
		}
		// HAPI would have ignored the modifier and found the patient.
		OperationOutcome outcome = FhirHttp
			.assertOutcome(http.get("/fhir/Patient?family:bogus=" + family, hospital().key()), 400, "CW-LIM-009");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("family:bogus").contains(":exact");
	}

	@Test
	void refusesAConditionalDeleteWithAnUnknownModifierAndDeletesNothing() {
		FhirHttp http = new FhirHttp(serverUrl());
		String family = unique("Kept").replace("-", "");
		assertThat(
				http.send("POST", "/fhir/Patient", hospital().key(), FHIR_JSON, CoreResources.patientJson(family, ""))
					.statusCode())
			.isEqualTo(201);
		FhirHttp.assertOutcome(
				http.send("DELETE", "/fhir/Patient?family:bogus=" + family, hospital().key(), null, null), 400,
				"CW-LIM-009");
		assertThat(FHIR.newJsonParser()
			.parseResource(Bundle.class, http.get("/fhir/Patient?family=" + family, hospital().key()).body())
			.getEntry()).as("still there").hasSize(1);
	}

	@Test
	void refusesSearchesHapiWouldFailOnWith400s() {
		FhirHttp http = new FhirHttp(serverUrl());
		String key = hospital().key();
		for (String near : new String[] { "abc", "1%7C2%7C-5", "%7C%7C", "91%7C0" }) {
			OperationOutcome outcome = FhirHttp.assertOutcome(http.get("/fhir/Location?near=" + near, key), 400,
					"CW-LIM-013");
			assertThat(outcome.getIssueFirstRep().getDiagnostics()).as(near).contains("near value");
		}
		FhirHttp.assertOutcome(http.get("/fhir/Observation?subject:Patient.name:missing=true", key), 400, "CW-LIM-012");
		String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":"
				+ "\"GET\",\"url\":\"Location?near=abc\"}},{\"request\":{\"method\":\"GET\",\"url\":\"%%%\"}}]}";
		FhirHttp.assertOutcome(http.send("POST", "/fhir", key, FHIR_JSON, batch), 400, "CW-LIM-013");
		OperationOutcome undecodable = FhirHttp.assertOutcome(
				http.send("POST", "/fhir", key, FHIR_JSON, batch.replace("Location?near=abc", "Location")), 400,
				"CW-REQ-001");
		assertThat(undecodable.getIssueFirstRep().getDiagnostics()).contains("Bundle.entry[1].request.url");
		String location = "{\"resourceType\":\"Location\",\"name\":\"" + unique("Ward") + "\"}";
		FhirHttp.assertOutcome(
				http.send("POST", "/fhir/Location", key, FHIR_JSON, location, "If-None-Exist", "Location?near=abc"),
				400, "CW-LIM-013");
		FhirHttp.assertOutcome(
				http.send("POST", "/fhir/Location", key, FHIR_JSON, location, "If-None-Exist", "name:missing=true"),
				400, "CW-LIM-012");
		String pointing = location.replace("}", ",\"partOf\":{\"reference\":\"Location?near=abc\"}}");
		FhirHttp.assertOutcome(http.send("POST", "/fhir/Location", key, FHIR_JSON, pointing), 400, "CW-LIM-013");
		String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
				+ pointing.replace("near=abc", "name:missing=true")
				+ ",\"request\":{\"method\":\"POST\",\"url\":\"Location\"}}]}";
		FhirHttp.assertOutcome(http.send("POST", "/fhir", key, FHIR_JSON, transaction), 400, "CW-LIM-012");
		// HAPI runs a transaction's conditional references before any of its entries.
		FhirHttp.assertOutcome(
				http.send("POST", "/fhir", key, FHIR_JSON, transaction.replace("name:missing=true", "near=abc")), 400,
				"CW-LIM-013");
		HttpResponse<String> batched = http.send("POST", "/fhir", key, FHIR_JSON,
				transaction.replace("name:missing=true", "near=abc").replace("\"transaction\"", "\"batch\""));
		assertThat(batched.statusCode()).as(batched.body()).isEqualTo(200);
		Bundle.BundleEntryResponseComponent entry = FHIR.newJsonParser()
			.parseResource(Bundle.class, batched.body())
			.getEntryFirstRep()
			.getResponse();
		assertThat(entry.getStatus()).as(batched.body()).startsWith("400");
		// HAPI answers a batch entry's refusal with the message alone; the entry gets the
		// code of its status.
		OperationOutcome refused = (OperationOutcome) entry.getOutcome();
		assertThat(refused.getIssueFirstRep().getDiagnostics()).startsWith("The near value 'abc'");
		assertThat(refused.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-REQ-001");
	}

	@Test
	void sortsLocationsByDistance() {
		String name = unique("Clinic").replace("-", "");
		for (String[] place : new String[][] { { "far", "42.50" }, { "near", "42.01" } }) {
			Location location = new Location().setName(name + place[0]);
			location.getPosition().setLatitude(Double.parseDouble(place[1])).setLongitude(-71.0);
			client().create().resource(location).execute();
		}
		HttpResponse<String> found = new FhirHttp(serverUrl())
			.get("/fhir/Location?near=42.0%7C-71.0%7C100%7Ckm&_sort=near&name=" + name, hospital().key());
		assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
		assertThat(FHIR.newJsonParser().parseResource(Bundle.class, found.body()).getEntry())
			.extracting((entry) -> ((Location) entry.getResource()).getName())
			.containsExactly(name + "near", name + "far");
		FhirHttp.assertOutcome(new FhirHttp(serverUrl())
			.get("/fhir/Location?near=42.0%7C-71.0%7C100%7Ckm&_sort=near&_offset=1&name=" + name, hospital().key()),
				400, "CW-REQ-001");
	}

	private HttpResponse<String> chunked(String path, InputStream body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(serverUrl() + path))
			.header("Authorization", "Bearer " + hospital().key())
			.header("Content-Type", FHIR_JSON)
			.header("Accept", FHIR_JSON)
			.POST(BodyPublishers.ofInputStream(() -> body))
			.build();
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(request, BodyHandlers.ofString());
	}

}
