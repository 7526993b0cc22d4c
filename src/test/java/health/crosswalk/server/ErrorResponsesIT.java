package health.crosswalk.server;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mistake a client can make is answered with the right 4xx status and an
 * OperationOutcome carrying a stable Crosswalk code; none answers 500.
 */
class ErrorResponsesIT extends CrosswalkIntegrationTest {

	private static final String FHIR_JSON = "application/fhir+json";

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aBatchsFailedEntriesCarryCodedOutcomes() {
		String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":"
				+ "\"GET\",\"url\":\"Patient?_count=abc\"}},{\"request\":{\"method\":\"GET\",\"url\":\"Patient\"}}]}";
		HttpResponse<String> answer = new FhirHttp(serverUrl()).send("POST", "/fhir", hospital().key(),
				"application/fhir+json", batch);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Bundle response = FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
		assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("400");
		OperationOutcome outcome = (OperationOutcome) response.getEntry().get(0).getResponse().getOutcome();
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).startsWith("CW-REQ-");
		assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("200");
	}

	@Test
	void malformedJsonIs400() throws Exception {
		HttpResponse<String> response = send(post("/Patient", FHIR_JSON, "{\"resourceType\":\"Patient\","));
		assertError(response, 400, "CW-REQ-001");
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("Failed to parse");
	}

	@Test
	void malformedXmlIs400() throws Exception {
		HttpResponse<String> response = send(
				post("/Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><name>"));
		assertError(response, 400, "CW-REQ-001");
	}

	@Test
	void unknownElementIs400() throws Exception {
		HttpResponse<String> response = send(
				post("/Patient", FHIR_JSON, "{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}"));
		assertError(response, 400, "CW-REQ-001");
	}

	@Test
	void bodyOfAnotherTypeIs400() throws Exception {
		HttpResponse<String> response = send(post("/Patient", FHIR_JSON, "{\"resourceType\":\"Observation\"}"));
		assertError(response, 400, "CW-REQ-001");
	}

	@ParameterizedTest
	@CsvSource({ "/Foo/1, 404, CW-REQ-002", "/Patient?foo=bar, 400, CW-REQ-001",
			"/Patient?_sort=shoeSize, 400, CW-REQ-001", "/Observation?date=yesterday, 400, CW-REQ-001",
			"/Patient?_count=many, 400, CW-REQ-001", "/Observation?subject:Foo=1, 400, CW-REQ-001",
			"/Patient/no-such-patient, 404, CW-REQ-002", "/Patient/no-such-patient/_history/1, 404, CW-REQ-002",
			"/Patient/$no-such-operation, 400, CW-REQ-001", "/Observation?code:text=glucose, 400, CW-REQ-001",
			"/Patient?_offset=-1, 400, CW-REQ-001", "/Patient?_count=-5, 400, CW-REQ-001",
			"/Patient?_count=99999999999, 400, CW-REQ-001", "/Patient/any/$everything?_count=abc, 400, CW-REQ-001",
			"/Patient?_summary=bogus, 400, CW-REQ-001", "/Patient?_total=bogus, 400, CW-REQ-001",
			"/Patient?name:bogus=x, 400, CW-LIM-009", "/Patient?birthdate:exact=2000-01-01, 400, CW-LIM-009",
			"/Observation?code:foo=x, 400, CW-LIM-009", "/Observation?subject:bogus=x, 400, CW-LIM-009",
			"/Observation?subject:identifier.name=x, 400, CW-LIM-009" })
	void badReadsAreClientErrors(String path, int status, String code) throws Exception {
		HttpResponse<String> response = send(get(path));
		assertError(response, status, code);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/fhir/Patient?%zz=1", "/fhir/Patient?family=a%zzb", "/fhir/Patient?family=%e9" })
	void queriesThatCannotBeDecodedAre400(String path) throws Exception {
		// Sent over a socket: HTTP clients refuse to build such URLs.
		assertThat(raw("GET " + path)).startsWith("HTTP/1.1 400").contains("CW-REQ-001").contains("percent-encode");
	}

	@Test
	void requestsThatOnlyASocketSendsAreRefusedToo() throws Exception {
		assertThat(raw("PATCH /fhir/Patient/x")).as("a PATCH without Content-Length or body")
			.startsWith("HTTP/1.1 400")
			.contains("needs a body");
		assertThat(raw("DELETE /fhir/Patient/x/%5Fhistory/1")).as("an escaped _history").startsWith("HTTP/1.1 405");
	}

	private String raw(String requestLine) throws IOException {
		try (Socket socket = new Socket("localhost", URI.create(serverUrl()).getPort())) {
			socket.getOutputStream()
				.write((requestLine + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + hospital().key()
						+ "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@ParameterizedTest
	@CsvSource({ "TRACK, /fhir/Patient", "PROPFIND, /fhir/Patient", "DELETE, /fhir/Patient/x/_history/1",
			"PUT, /fhir/Patient/x/_history/1", "POST, /fhir/Patient/_history", "PATCH, /fhir/Patient/x/_history/1" })
	void methodsThatDoNotFitThePathAre405(String method, String path) throws Exception {
		HttpResponse<String> response = new FhirHttp(serverUrl()).send(method, path, hospital().key(), FHIR_JSON,
				"{\"resourceType\":\"Patient\"}");
		assertError(response, 405, "CW-REQ-003");
		assertThat(response.headers().firstValue("Allow")).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"resourceType\":\"Bundle\",\"entry\":[%s]}",
			"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":%s}]}",
			"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":%s,"
					+ "\"request\":{\"method\":\"POST\"}}]}",
			"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:%s\","
					+ "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}",
			"{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":%s}]}" })
	void bundlesOfAShapeFhirDoesNotAllowAre400AndStoreNothing(String shape) throws Exception {
		String family = unique("Shape").replace("-", "");
		String patient = CoreResources.patientJson(family, "");
		String body = shape.contains("urn:uuid:%s") ? String.format(shape, java.util.UUID.randomUUID())
				: String.format(shape, patient);
		assertError(send(post("", FHIR_JSON, body)), 400, "CW-REQ-001");
		assertThat(FHIR.newJsonParser()
			.parseResource(org.hl7.fhir.r4.model.Bundle.class,
					new FhirHttp(serverUrl()).get("/fhir/Patient?family=" + family, hospital().key()).body())
			.getEntry()).as("nothing stored").isEmpty();
	}

	@ParameterizedTest
	@CsvSource(value = { "/fhir/Patient/x;", "/fhir/Patient;[{\"op\":\"remove\",\"path\":\"/gender\"}]" },
			delimiter = ';')
	void aPatchWithoutBodyOrTargetIs400(String path, String body) throws Exception {
		assertError(new FhirHttp(serverUrl()).send("PATCH", path, hospital().key(), "application/json-patch+json",
				(body != null) ? body : ""), 400, "CW-REQ-001");
	}

	@Test
	void valuesTheDatabaseCannotStoreAre400() throws Exception {
		assertError(send(get("/Patient?family=%00")), 400, "CW-REQ-001");
		assertError(send(post("/Patient", FHIR_JSON, CoreResources.patientJson("Nul\\u0000Byte", ""))), 400,
				"CW-LIM-004");
		assertError(send(post("/Patient", FHIR_JSON, CoreResources.patientJson("Lone\\ud800Surrogate", ""))), 400,
				"CW-LIM-004");
	}

	@Test
	void deletedResourceIs410() throws Exception {
		IGenericClient client = client();
		IIdType id = client.create().resource(CoreResources.PATIENT.create(unique("mrn"), null)).execute().getId();
		client.delete().resourceById(id.toUnqualifiedVersionless()).execute();

		assertError(send(get("/Patient/" + id.getIdPart())), 410, "CW-REQ-005");
	}

	@Test
	void staleIfMatchIs412() throws Exception {
		IGenericClient client = client();
		IIdType id = client.create().resource(CoreResources.PATIENT.create(unique("mrn"), null)).execute().getId();
		String body = CoreResources.patientJson("Stale", "\"id\":\"" + id.getIdPart() + "\",\"active\":true");

		HttpResponse<String> stale = send(put("/Patient/" + id.getIdPart(), body).header("If-Match", "W/\"7\""));
		assertError(stale, 412, "CW-REQ-006");

		HttpResponse<String> current = send(put("/Patient/" + id.getIdPart(), body).header("If-Match", "W/\"1\""));
		assertThat(current.statusCode()).isEqualTo(200);
	}

	@Test
	void concurrentUpdatesConflictWith409NotAServerError() throws Exception {
		IGenericClient client = client();
		IIdType id = client.create().resource(CoreResources.PATIENT.create(unique("mrn"), null)).execute().getId();
		List<HttpResponse<String>> responses = new ArrayList<>();
		ExecutorService threads = Executors.newFixedThreadPool(12);
		try {
			for (int round = 0; round < 5 && responses.stream().noneMatch((r) -> r.statusCode() == 409); round++) {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<HttpResponse<String>>> updates = new ArrayList<>();
				for (int i = 0; i < 12; i++) {
					String body = CoreResources.patientJson("Concurrent" + i, "\"id\":\"" + id.getIdPart() + "\"");
					updates.add(threads.submit(() -> {
						start.await();
						return send(put("/Patient/" + id.getIdPart(), body));
					}));
				}
				start.countDown();
				for (Future<HttpResponse<String>> update : updates) {
					responses.add(update.get());
				}
			}
		}
		finally {
			threads.shutdownNow();
		}

		assertThat(responses).extracting(HttpResponse::statusCode)
			.containsAnyOf(200)
			.allMatch((s) -> s == 200 || s == 409);
		HttpResponse<String> conflict = responses.stream()
			.filter((r) -> r.statusCode() == 409)
			.findFirst()
			.orElseThrow();
		assertError(conflict, 409, "CW-REQ-004");
	}

	private HttpRequest.Builder get(String path) {
		return authorized(path).GET();
	}

	private HttpRequest.Builder post(String path, String contentType, String body) {
		return authorized(path).header("Content-Type", contentType).POST(BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder put(String path, String body) {
		return authorized(path).header("Content-Type", FHIR_JSON).PUT(BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder authorized(String path) {
		return HttpRequest.newBuilder(URI.create(fhirBaseUrl() + path))
			.header("Accept", FHIR_JSON)
			.header("Authorization", "Bearer " + hospital().key());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private static OperationOutcome outcome(HttpResponse<String> response) {
		return FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
	}

	private static void assertError(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		OperationOutcome outcome = outcome(response);
		assertThat(outcome.getIssue()).isNotEmpty();
		assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(outcome.getIssueFirstRep().getDetails().getCoding())
			.anyMatch((coding) -> "urn:crosswalk:error".equals(coding.getSystem()) && code.equals(coding.getCode()));
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank();
	}

}
