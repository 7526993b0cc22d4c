package health.crosswalk.migration;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CoreResources;
import health.crosswalk.FhirHttp;
import health.crosswalk.TestFileServer;
import health.crosswalk.audit.AuditClient;
import health.crosswalk.hospital.RegistryAccess;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static health.crosswalk.FhirHttp.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The FHIR {@code $import} operation as a hospital's client uses it: one hospital's Bulk
 * Data export, uploaded as Binaries by another hospital and imported there, arrives with
 * the same content and rewired references, every defective line is reported with its
 * reason, a second import changes nothing, and the job answers its requester alone.
 */
class ImportOperationIT extends ExportedHospitalFixture {

	private static final String ORIGIN = "https://old-ehr.example.org/fhir";

	private static final String SOURCE = ImportRequest.sourceName(ORIGIN);

	private FhirHttp http;

	@BeforeEach
	void http() {
		this.http = new FhirHttp(serverUrl());
	}

	@Test
	void anExportImportedIntoAnotherHospitalArrivesWholeAndASecondImportChangesNothing() throws Exception {
		Source source = sourceHospital();
		IGenericClient from = client(source.hospital().key());
		Reference first = source.first();
		Map<String, String> files = export(source.hospital().key());

		TestHospital target = newHospital();
		IGenericClient to = client(target.key());
		Parameters request = new Parameters();
		request.addParameter("inputFormat", new CodeType("application/fhir+ndjson"));
		request.addParameter("inputSource", new UriType(ORIGIN));
		for (Map.Entry<String, String> file : files.entrySet()) {
			addInput(request, file.getKey(), upload(to, file.getValue()));
		}
		// Defects: a line that is no resource, an Observation the profile refuses, one
		// about a patient the source does not have, and a Patient in an Observation file.
		String defects = "{not json\n" + "{\"resourceType\":\"Observation\",\"id\":\"no-status\",\"code\":{\"text\""
				+ ":\"x\"},\"subject\":{\"reference\":\"" + first.getReference() + "\"}}\n"
				+ FHIR.newJsonParser()
					.encodeResourceToString(
							CoreResources.OBSERVATION.create(unique("obs"), new Reference("Patient/gone"))
								.setId("orphan"))
				+ "\n";
		String defectsBinary = upload(to, defects);
		addInput(request, null, defectsBinary);
		addInput(request, "Observation", upload(to, files.get("Patient")));
		// A Binary of the source hospital is not the target's to read.
		String elsewhere = upload(from, files.get("Patient"));
		addInput(request, "Patient", elsewhere);

		String kickOff = FhirHttp.requestId("import");
		OperationOutcome report = run(target.key(), request, kickOff, 200);
		String text = diagnostics(report);
		assertThat(text).contains("Patient: 5 read, 2 created, 0 updated, 3 refused",
				"Observation: 5 read, 3 created, 0 updated, 2 refused", "11 records read, 5 written, 6 not imported.");
		List<String> refusals = report.getIssue()
			.stream()
			.filter((issue) -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
			.map((issue) -> issue.getLocation().get(0).getValue() + " " + issue.getDiagnostics())
			.toList();
		assertThat(refusals).hasSize(6);
		assertThat(String.join("\n", refusals)).contains("Binary/" + defectsBinary + ":1", "not a FHIR resource",
				"Observation/no-status", "Observation/orphan", "gone", "in an input whose type is Observation",
				"Binary/" + elsewhere + ":0 A Patient at Binary/" + elsewhere
						+ ":0 not imported: the file could not be read: your hospital has no Binary/" + elsewhere);

		Patient copy = assertCopied(source, to, SOURCE);

		// Each record was written through the FHIR API and audited like a client's write;
		// the kick-off is on the trail too.
		AuditClient audit = new AuditClient(this.http, TestHospitals.networkKey(context(), Role.AUDITOR));
		assertThat(audit.events(kickOff)).singleElement()
			.satisfies((event) -> assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0));
		assertThat(audit.search("entity=Patient/" + copy.getIdElement().getIdPart())).isNotEmpty();

		// The same import again finds every record and changes none.
		String again = diagnostics(run(target.key(), request, FhirHttp.requestId("import"), 200));
		assertThat(again).contains("Patient: 5 read, 0 created, 2 updated",
				"Observation: 5 read, 0 created, 3 updated");
		assertUnchanged(to, SOURCE, source, copy);
	}

	@Test
	void anImportAnswersItsRequesterAloneAndRefusesWhatItCannotDo() throws Exception {
		TestHospital hospital = newHospital();
		Parameters request = new Parameters();
		request.addParameter("inputFormat", new CodeType("application/fhir+ndjson"));
		request.addParameter("inputSource", new UriType(ORIGIN));
		addInput(request, "Patient", upload(client(hospital.key()), ""));
		String body = FHIR.newJsonParser().encodeResourceToString(request);

		assertOutcome(this.http.send("POST", "/fhir/$import", hospital.key(), "application/fhir+json", body), 400,
				"CW-IMPORT-002");
		Parameters fetching = request.copy();
		fetching.getParameter().removeIf((parameter) -> parameter.getName().equals("input"));
		addInput(fetching, "Patient", "http://169.254.169.254/latest/meta-data");
		assertOutcome(
				this.http.send("POST", "/fhir/$import", hospital.key(), "application/fhir+json",
						FHIR.newJsonParser().encodeResourceToString(fetching), "Prefer", "respond-async"),
				400, "CW-IMPORT-006");
		assertOutcome(this.http.send("POST", "/fhir/$import", TestHospitals.networkKey(context(), Role.AUDITOR),
				"application/fhir+json", body, "Prefer", "respond-async"), 403, "CW-AUTH-010");

		HttpResponse<String> accepted = this.http.send("POST", "/fhir/$import", hospital.key(), "application/fhir+json",
				body, "Prefer", "respond-async");
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		String status = path(accepted.headers().firstValue("Content-Location").orElseThrow());
		String otherKey = TestHospitals.hospitalKey(context(), hospital.slug(), Role.HOSPITAL_SYSTEM);
		assertOutcome(this.http.get(status, otherKey), 404, "CW-IMPORT-001");
		assertOutcome(this.http.send("DELETE", status, otherKey, null, null), 404, "CW-IMPORT-001");
		assertOutcome(this.http.get(status.replaceFirst("_jobId=.*", "_jobId=not-a-job"), hospital.key()), 404,
				"CW-IMPORT-001");
		assertOutcome(this.http.get(status.replaceFirst("\\?.*", ""), hospital.key()), 400, "CW-IMPORT-003");

		// Cancelled by its requester: it ends cancelled, whatever step it had reached.
		HttpResponse<String> cancel = this.http.send("DELETE", status, hospital.key(), null, null);
		if (cancel.statusCode() == 202) {
			HttpResponse<String> ended = poll(this.http, status, hospital.key());
			assertOutcome(ended, 404, "CW-IMPORT-001");
			assertThat(ended.body()).contains("cancelled");
		}
		else {
			// It had ended already: nothing left to cancel.
			assertOutcome(cancel, 404, "CW-IMPORT-001");
		}
	}

	@Test
	void aFileAtAnAllowedLocationIsFetchedAndARunningImportStopsWhenCancelled() {
		TestHospital hospital = newHospital();
		String name = unique("patients") + ".ndjson";
		Parameters request = new Parameters();
		request.addParameter("inputSource", new UriType(ORIGIN + "/" + name));
		addInput(request, "Patient", TestFileServer.get().put(name, patientLine()));
		assertThat(diagnostics(run(hospital.key(), request, FhirHttp.requestId("import"), 200)))
			.contains("Patient: 1 read, 1 created, 0 updated, 0 refused");

		String slow = unique("slow") + ".ndjson";
		TestFileServer.get().hold(slow);
		try {
			Parameters held = new Parameters();
			held.addParameter("inputSource", new UriType(ORIGIN + "/" + slow));
			addInput(held, "Patient", TestFileServer.get().put(slow, patientLine()));
			HttpResponse<String> accepted = this.http.send("POST", "/fhir/$import", hospital.key(),
					"application/fhir+json", FHIR.newJsonParser().encodeResourceToString(held), "Prefer",
					"respond-async");
			String status = path(accepted.headers().firstValue("Content-Location").orElseThrow());
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.http.get(status, hospital.key()).headers().firstValue("X-Progress").orElse(""),
						(progress) -> progress.startsWith("running"));
			// One running and one queued are as many as a requester may have.
			String queued = path(this.http
				.send("POST", "/fhir/$import", hospital.key(), "application/fhir+json",
						FHIR.newJsonParser().encodeResourceToString(held), "Prefer", "respond-async")
				.headers()
				.firstValue("Content-Location")
				.orElseThrow());
			assertOutcome(
					this.http.send("POST", "/fhir/$import", hospital.key(), "application/fhir+json",
							FHIR.newJsonParser().encodeResourceToString(held), "Prefer", "respond-async"),
					429, "CW-IMPORT-005");
			assertThat(this.http.send("DELETE", queued, hospital.key(), null, null).statusCode()).isEqualTo(202);
			assertOutcome(this.http.get(queued, hospital.key()), 404, "CW-IMPORT-001");
			assertThat(this.http.send("DELETE", status, hospital.key(), null, null).statusCode()).isEqualTo(202);
			// It stops while its file is still held back, and writes nothing.
			HttpResponse<String> ended = poll(this.http, status, hospital.key());
			assertOutcome(ended, 404, "CW-IMPORT-001");
			assertThat(ended.body()).contains("cancelled");
		}
		finally {
			TestFileServer.get().release(slow);
		}
	}

	@Test
	void aJobWhoseServerStoppedIsRunAgainUnlessItWasCancelled() {
		TestHospital hospital = newHospital();
		RegistryAccess.Key key = context().getBean(RegistryAccess.class)
			.issue(hospital.slug(), Role.HOSPITAL_SYSTEM, "system/*.cruds", "import test", Duration.ofHours(1));
		String owner = hospital.slug() + "/api-key/" + key.keyId();
		String inputs = "[{\"type\":\"Patient\",\"url\":\""
				+ TestFileServer.get().put(unique("again") + ".ndjson", patientLine()) + "\"}]";
		JdbcTemplate jdbc = context().getBean(JdbcTemplate.class);
		UUID orphaned = UUID.randomUUID();
		UUID cancelled = UUID.randomUUID();
		for (UUID id : List.of(orphaned, cancelled)) {
			jdbc.update(
					"INSERT INTO crosswalk.import_job (id, hospital, partition_id, owner, source, inputs, status, "
							+ "cancel_requested, started_at, claimed_by, claimed_until) VALUES (?, ?, ?, ?, 'a-test', "
							+ "?::jsonb, 'running', ?, now(), 'a-server-that-stopped', now() - interval '1 minute')",
					id, hospital.slug(), hospital.partitionId(), owner, inputs, id.equals(cancelled));
		}
		HttpResponse<String> done = poll(this.http, "/fhir/$import-poll-status?_jobId=" + orphaned, key.secret());
		assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
		assertThat(done.body()).contains("Patient: 1 read, 1 created");
		assertOutcome(poll(this.http, "/fhir/$import-poll-status?_jobId=" + cancelled, key.secret()), 404,
				"CW-IMPORT-001");
		assertThat(jdbc.queryForObject("SELECT status FROM crosswalk.import_job WHERE id = ?", String.class, cancelled))
			.isEqualTo("cancelled");
		assertThat(count(client(hospital.key()), "Patient")).isEqualTo(1);
	}

	private static String patientLine() {
		return FHIR.newJsonParser().encodeResourceToString(CoreResources.PATIENT.create(unique("mrn"), null)) + "\n";
	}

	private OperationOutcome run(String key, Parameters request, String requestId, int expected) {
		HttpResponse<String> accepted = this.http.send("POST", "/fhir/$import", key, "application/fhir+json",
				FHIR.newJsonParser().encodeResourceToString(request), "Prefer", "respond-async", "X-Request-ID",
				requestId);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		HttpResponse<String> done = poll(this.http,
				path(accepted.headers().firstValue("Content-Location").orElseThrow()), key);
		assertThat(done.statusCode()).as(done.body()).isEqualTo(expected);
		return FHIR.newJsonParser().parseResource(OperationOutcome.class, done.body());
	}

	private static String diagnostics(OperationOutcome outcome) {
		return String.join("\n", outcome.getIssue().stream().map((issue) -> issue.getDiagnostics()).toList());
	}

	private static void addInput(Parameters request, String type, String binaryId) {
		Parameters.ParametersParameterComponent input = request.addParameter().setName("input");
		if (type != null) {
			input.addPart().setName("type").setValue(new CodeType(type));
		}
		input.addPart()
			.setName("url")
			.setValue(new UriType(binaryId.startsWith("http") ? binaryId : "Binary/" + binaryId));
	}

	private static String upload(IGenericClient client, String ndjson) {
		Binary binary = new Binary().setContentType("application/fhir+ndjson");
		binary.setData(ndjson.getBytes(StandardCharsets.UTF_8));
		return client.create().resource(binary).execute().getId().getIdPart();
	}

}
