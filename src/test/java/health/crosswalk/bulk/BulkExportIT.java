package health.crosswalk.bulk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.TestIdentityProvider;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.audit.AuditClient;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.Role;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static health.crosswalk.FhirHttp.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * FHIR Bulk Data export through HAPI's own jobs, as a hospital's client sees it:
 * kick-off, polling, manifest, NDJSON files, cancellation; each hospital exports its own
 * partition and its patients' linked records elsewhere, and an export's status and files
 * answer its requester alone.
 */
class BulkExportIT extends CrosswalkIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient RAW = HttpClient.newHttpClient();

	private FhirHttp http;

	@BeforeEach
	void http() {
		this.http = new FhirHttp(serverUrl());
	}

	@Test
	void aHospitalExportsItsOwnDataToItsRequesterAlone() throws Exception {
		TestHospital general = hospital();
		Reference patient = newPatient(client());
		Observation observation = (Observation) CoreResources.OBSERVATION.create(unique("obs"), patient);
		String observationId = client().create().resource(observation).execute().getId().getIdPart();
		TestHospital riverside = newHospital();
		String elsewhere = newPatient(client(riverside.key())).getReferenceElement().getIdPart();

		String kickOff = FhirHttp.requestId("export");
		HttpResponse<String> accepted = this.http.send("GET", "/fhir/$export?_type=Patient,Observation", general.key(),
				null, null, "Prefer", "respond-async", "X-Request-ID", kickOff);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		String status = accepted.headers().firstValue("Content-Location").orElseThrow();
		assertThat(status).contains("$export-poll-status?_jobId=");
		String statusPath = URI.create(status).getRawPath() + "?" + URI.create(status).getRawQuery();

		JsonNode manifest = manifest(statusPath, general.key());
		assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
		Map<String, List<IBaseResource>> files = new TreeMap<>();
		List<String> urls = new ArrayList<>();
		for (JsonNode output : manifest.get("output")) {
			urls.add(output.get("url").asText());
			files.computeIfAbsent(output.get("type").asText(), (type) -> new ArrayList<>())
				.addAll(ndjson(output.get("url").asText(), general.key()));
		}
		assertThat(files).containsOnlyKeys("Observation", "Patient");
		assertThat(ids(files.get("Patient"))).containsExactly(patient.getReferenceElement().getIdPart())
			.doesNotContain(elsewhere);
		assertThat(ids(files.get("Observation"))).containsExactly(observationId);

		// The status and the files are the requester's: not another key of the same
		// hospital, not another hospital, not an auditor.
		String otherKey = TestHospitals.hospitalKey(context(), general.slug(), Role.HOSPITAL_SYSTEM);
		assertOutcome(this.http.get(statusPath, otherKey), 404, "CW-BULK-001");
		assertThat(this.http.get(statusPath, riverside.key()).statusCode()).isEqualTo(404);
		String file = URI.create(urls.get(0)).getRawPath().replaceFirst(".*/fhir/", "/fhir/");
		assertOutcome(this.http.get(file, otherKey), 404, "CW-BULK-001");
		assertThat(this.http.get(file, riverside.key()).statusCode()).isEqualTo(404);
		assertThat(this.http.get("/fhir/Binary?_count=100", otherKey).body())
			.doesNotContain(URI.create(urls.get(0)).getRawPath().replaceFirst(".*/", ""));
		String auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		assertOutcome(this.http.get("/fhir/$export", auditor), 403, "CW-AUTH-010");
		// Nobody rewrites or deletes a file, not even its requester.
		String binary = this.http.get(file, general.key()).body();
		assertOutcome(this.http.send("PUT", file, general.key(), "application/fhir+json", binary), 403, "CW-BULK-002");
		assertOutcome(this.http.send("DELETE", file, general.key(), null, null), 403, "CW-BULK-002");

		// The kick-off is on the audit trail, with its outcome.
		List<AuditEvent> events = new AuditClient(this.http, auditor).events(kickOff);
		assertThat(events).hasSize(1);
		assertThat(events.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
	}

	@Test
	void aPatientOrGroupExportHoldsItsPatientsAndACancelledOneEnds() throws Exception {
		TestHospital hospital = hospital();
		Reference member = newPatient(client());
		Reference other = newPatient(client());
		Group group = new Group().setType(Group.GroupType.PERSON).setActual(true);
		group.addMember().setEntity(member);
		String groupId = client().create().resource(group).execute().getId().getIdPart();

		HttpResponse<String> groupExport = this.http.send("GET", "/fhir/Group/" + groupId + "/$export?_type=Patient",
				hospital.key(), null, null, "Prefer", "respond-async");
		assertThat(groupExport.statusCode()).as(groupExport.body()).isEqualTo(202);
		List<IBaseResource> patients = new ArrayList<>();
		for (JsonNode output : manifest(path(groupExport), hospital.key()).get("output")) {
			patients.addAll(ndjson(output.get("url").asText(), hospital.key()));
		}
		assertThat(ids(patients)).containsExactly(member.getReferenceElement().getIdPart())
			.doesNotContain(other.getReferenceElement().getIdPart());

		HttpResponse<String> patientExport = this.http.send("GET", "/fhir/Patient/$export?_type=Patient",
				hospital.key(), null, null, "Prefer", "respond-async");
		assertThat(patientExport.statusCode()).as(patientExport.body()).isEqualTo(202);
		// Each of the job's steps waits for the next maintenance pass: it is still
		// queued when the DELETE arrives.
		HttpResponse<String> cancelled = this.http.send("DELETE", path(patientExport), hospital.key(), null, null);
		assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			HttpResponse<String> status = this.http.get(path(patientExport), hospital.key());
			assertThat(status.statusCode()).as(status.body()).isEqualTo(404);
			assertThat(status.body()).containsIgnoringCase("cancel");
		});
	}

	@Test
	void aHospitalsPatientAndGroupExportsHoldItsPatientsRecordsAtOtherHospitalsTaggedWithTheirSource()
			throws Exception {
		TestHospital general = hospital();
		TestHospital riverside = newHospital();
		IGenericClient b = client(riverside.key());
		String ssn = UUID.randomUUID().toString();
		String atA = client().create().resource(person(ssn)).execute().getId().getIdPart();
		Reference atB = new Reference(b.create().resource(person(ssn)).execute().getId().toUnqualifiedVersionless());
		String observationB = newObservation(b, atB);
		Reference strangerB = newPatient(b);
		String strangerObservation = newObservation(b, strangerB);

		Map<String, List<IBaseResource>> files = export("/fhir/Patient/$export?_type=Patient,Observation",
				general.key());
		assertThat(ids(files.get("Patient"))).containsExactlyInAnyOrder(atA, atB.getReferenceElement().getIdPart());
		assertThat(ids(files.get("Observation"))).containsExactly(observationB).doesNotContain(strangerObservation);
		assertThat(files.values().stream().flatMap(List::stream)).allSatisfy((resource) -> assertThat(
				resource.getMeta().getTag(HospitalDirectory.SOURCE_HOSPITAL_TAG, riverside.slug()) != null)
			.as("%s is tagged with its source exactly when it comes from riverside", resource.getIdElement())
			.isEqualTo(!atA.equals(resource.getIdElement().getIdPart())));
		// The other hospital's patient is on the audit trail, named with the hospital
		// that keeps the record, before the job read a record of theirs.
		String auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		assertThat(
				new AuditClient(this.http, auditor).search("patient=Patient/" + atB.getReferenceElement().getIdPart()))
			.anySatisfy((event) -> {
				assertThat(event.getSubtype())
					.anySatisfy((subtype) -> assertThat(subtype.getCode()).isEqualTo("$export"));
				assertThat(event.getAgent()).filteredOn(AuditEvent.AuditEventAgentComponent::getRequestor)
					.singleElement()
					.satisfies((agent) -> {
						assertThat(agent.getWho().getDisplay()).contains("$export", general.slug());
						assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo(general.slug());
						assertThat(agent.getName()).isEqualTo(general.slug());
					});
				assertThat(event.getAgent())
					.anySatisfy((agent) -> assertThat(agent.getName()).isEqualTo(riverside.slug()));
			});
		assertThat(export("/fhir/Patient/$export?_type=Observation&_typeFilter="
				+ URLEncoder.encode("Observation?status=cancelled", StandardCharsets.UTF_8), general.key()))
			.as("the export's filters apply to the linked records too")
			.isEmpty();

		// Without _type a Group export also asks for the Practitioners and Organizations
		// its patients name, which HAPI finds from the patients, not a compartment.
		Group group = new Group().setType(Group.GroupType.PERSON).setActual(true);
		group.addMember().setEntity(new Reference("Patient/" + atA));
		String groupId = client().create().resource(group).execute().getId().getIdPart();
		Map<String, List<IBaseResource>> groupFiles = export("/fhir/Group/" + groupId + "/$export", general.key());
		assertThat(ids(groupFiles.get("Patient"))).containsExactlyInAnyOrder(atA,
				atB.getReferenceElement().getIdPart());
		assertThat(ids(groupFiles.get("Observation"))).containsExactly(observationB);
		assertThat(ids(groupFiles.get("Group"))).containsExactly(groupId);

		// _since holds at both levels, for own and linked records alike.
		String since = Instant.now().toString();
		String laterA = newObservation(client(), new Reference("Patient/" + atA));
		String laterB = newObservation(b, atB);
		for (String level : List.of("/fhir/Patient/$export", "/fhir/Group/" + groupId + "/$export")) {
			Map<String, List<IBaseResource>> recent = export(level + "?_type=Patient,Observation&_since=" + since,
					general.key());
			assertThat(recent).as(level).containsOnlyKeys("Observation");
			assertThat(ids(recent.get("Observation"))).as(level).containsExactlyInAnyOrder(laterA, laterB);
		}

		assertThat(export("/fhir/Patient/$export?_type=Patient,Observation", riverside.key()).get("Patient"))
			.as("and the other way round")
			.extracting((resource) -> resource.getIdElement().getIdPart())
			.contains(atA, atB.getReferenceElement().getIdPart(), strangerB.getReferenceElement().getIdPart());
	}

	@Test
	void aNetworkExporterExportsEveryHospitalAndReadsNothingElse() throws Exception {
		String since = Instant.now().minusSeconds(1).toString();
		TestHospital general = hospital();
		String inGeneral = newPatient(client()).getReferenceElement().getIdPart();
		TestHospital riverside = newHospital();
		String inRiverside = newPatient(client(riverside.key())).getReferenceElement().getIdPart();
		String exporter = TestHospitals.networkKey(context(), Role.NETWORK_EXPORTER);

		HttpResponse<String> accepted = this.http.send("GET", "/fhir/$export?_type=Patient&_since=" + since, exporter,
				null, null, "Prefer", "respond-async");
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		URI status = URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());
		String statusPath = status.getRawPath() + "?" + status.getRawQuery();
		JsonNode manifest = manifest(statusPath, exporter);
		Map<String, IBaseResource> patients = new TreeMap<>();
		List<String> urls = new ArrayList<>();
		for (JsonNode output : manifest.get("output")) {
			urls.add(output.get("url").asText());
			ndjson(output.get("url").asText(), exporter)
				.forEach((patient) -> patients.put(patient.getIdElement().getIdPart(), patient));
		}
		assertThat(patients).containsKeys(inGeneral, inRiverside);
		// Each marked with the hospital it comes from.
		assertThat(patients.get(inGeneral).getMeta().getTag(HospitalDirectory.SOURCE_HOSPITAL_TAG, general.slug()))
			.isNotNull();
		assertThat(patients.get(inRiverside).getMeta().getTag(HospitalDirectory.SOURCE_HOSPITAL_TAG, riverside.slug()))
			.isNotNull();

		// The export and its files are the exporter's alone.
		String file = URI.create(urls.get(0)).getRawPath().replaceFirst(".*/fhir/", "/fhir/");
		String otherExporter = TestHospitals.networkKey(context(), Role.NETWORK_EXPORTER);
		assertOutcome(this.http.get(file, otherExporter), 404, "CW-BULK-001");
		assertOutcome(this.http.get(statusPath, otherExporter), 404, "CW-BULK-001");
		assertThat(this.http.get(file, general.key()).statusCode()).isEqualTo(404);
		assertThat(this.http.get(statusPath, general.key()).statusCode()).isIn(403, 404);

		// Nothing else: no record, no search, no other export, no hospital's own Binary.
		assertOutcome(this.http.get("/fhir/Patient/" + inGeneral, exporter), 403, "CW-AUTH-010");
		assertOutcome(this.http.get("/fhir/Patient?_id=" + inGeneral, exporter), 403, "CW-AUTH-010");
		assertOutcome(this.http.get("/fhir/Patient/$export", exporter), 403, "CW-AUTH-010");
		Binary document = new Binary().setContentType("text/plain");
		document.setData("a letter".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		String documentId = client().create().resource(document).execute().getId().getIdPart();
		assertThat(this.http.get("/fhir/Binary/" + documentId, exporter).statusCode()).isEqualTo(404);
		// Not even with a token that names the hospital: a network role acts for none.
		String token = TestIdentityProvider.get().token(general.slug(), "network-exporter", "system/*.rs");
		assertThat(this.http.get("/fhir/Binary/" + documentId, token).statusCode()).isEqualTo(404);
		assertOutcome(this.http.send("POST", "/fhir/Binary", exporter, "application/fhir+json",
				"{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\"}"), 403, "CW-AUTH-010");
	}

	@Test
	void anotherApplicationOfTheSameUserDoesNotSeeTheExport() throws Exception {
		TestHospital general = hospital();
		JWTClaimsSet user = TestIdentityProvider.claims(general.slug(), "clinician", "user/*.read",
				TestIdentityProvider.ISSUER, TestIdentityProvider.AUDIENCE, Duration.ofMinutes(5));
		String chart = TestIdentityProvider.get()
			.token(new JWTClaimsSet.Builder(user).claim("azp", "chart-app").jwtID(unique("jti")).build());
		String other = TestIdentityProvider.get()
			.token(new JWTClaimsSet.Builder(user).claim("azp", "other-app").jwtID(unique("jti")).build());
		HttpResponse<String> accepted = this.http.send("GET", "/fhir/$export?_type=Patient", chart, null, null,
				"Prefer", "respond-async");
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		URI status = URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());
		String statusPath = status.getRawPath() + "?" + status.getRawQuery();
		assertThat(this.http.get(statusPath, chart).statusCode()).isIn(200, 202);
		assertOutcome(this.http.get(statusPath, other), 404, "CW-BULK-001");
		assertThat(this.http.send("DELETE", statusPath, chart, null, null).statusCode()).isIn(202, 404);
	}

	@Test
	void aPollNeedsAJobIdAndSystemOperationsOtherThanExportStayClosed() {
		String key = hospital().key();
		assertOutcome(this.http.get("/fhir/$export-poll-status", key), 400, "CW-BULK-003");
		assertOutcome(this.http.get("/fhir/$export-poll-status?_jobId=" + java.util.UUID.randomUUID(), key), 404,
				"CW-BULK-001");
		assertOutcome(this.http.get("/fhir/$meta", key), 403, "CW-AUTH-013");
	}

	@Test
	void theFilesOfAnExportThatIsOverAreRemovedWhole() throws Exception {
		TestHospital hospital = hospital();
		newPatient(client());
		HttpResponse<String> kickOff = this.http.send("GET", "/fhir/$export?_type=Patient", hospital.key(), null, null,
				"Prefer", "respond-async");
		assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
		List<String> files = new ArrayList<>();
		for (JsonNode output : manifest(path(kickOff), hospital.key()).get("output")) {
			files.add(URI.create(output.get("url").asText()).getRawPath().replaceFirst(".*/fhir/", "/fhir/"));
		}
		assertThat(files).isNotEmpty();
		JdbcTemplate jdbc = context().getBean(JdbcTemplate.class);
		String binaryId = files.get(0).replaceFirst(".*/", "");
		assertThat(jdbc.queryForObject("SELECT partition_id FROM crosswalk.export_file WHERE binary_id = ?",
				Integer.class, binaryId))
			.isEqualTo(hospital.partitionId());

		// Within the retention, the file stays; past it, it is gone with its history.
		ExportPurge purge = context().getBean(ExportPurge.class);
		purge.purge(Instant.now());
		assertThat(this.http.get(files.get(0), hospital.key()).statusCode()).isEqualTo(200);
		assertThat(purge.purge(Instant.now().plus(Duration.ofHours(3)))).isGreaterThanOrEqualTo(files.size());
		for (String file : files) {
			assertThat(this.http.get(file, hospital.key()).statusCode()).isEqualTo(404);
			String id = file.replaceFirst(".*/", "");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM hfj_resource WHERE fhir_id = ?", Integer.class, id))
				.isZero();
			assertThat(jdbc.queryForObject("SELECT count(*) FROM crosswalk.export_file WHERE binary_id = ?",
					Integer.class, id))
				.isZero();
		}
	}

	@Test
	void aKickOffAClientGotWrongIsRefusedWithWhatToFix() {
		String key = hospital().key();
		List<String> wrong = List.of("/fhir/$export?_type=Nonsense", "/fhir/$export?_since=yesterday",
				"/fhir/$export?_outputFormat=text/csv", "/fhir/$export?_typeFilter=Patient%3Fnonsense-param=1",
				"/fhir/$export?_typeFilter=nonsense", "/fhir/$export?_type=Patient&_typeFilter=Observation%3Fcode=1",
				"/fhir/Patient/$export?_type=Binary", "/fhir/Group/" + java.util.UUID.randomUUID() + "/$export",
				"/fhir/Observation/$export", "/fhir/Patient/$export?patient=Patient/" + java.util.UUID.randomUUID());
		List<String> answers = new ArrayList<>();
		for (String path : wrong) {
			HttpResponse<String> response = this.http.send("GET", path, key, null, null, "Prefer", "respond-async");
			answers.add(path + " -> " + response.statusCode() + " " + response.body().replaceAll("\\s+", " "));
		}
		assertThat(answers)
			.allSatisfy((answer) -> assertThat(answer).matches(".* -> 4\\d\\d .*").contains("OperationOutcome"));
		HttpResponse<String> synchronous = this.http.get("/fhir/$export", key);
		assertThat(synchronous.statusCode()).as(synchronous.body()).isEqualTo(400);
		// The kick-off as POST with Parameters: checked the same way.
		HttpResponse<String> posted = this.http.send("POST", "/fhir/$export", key, "application/fhir+json",
				"{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_type\",\"valueString\":\"Patient\"},"
						+ "{\"name\":\"_typeFilter\",\"valueString\":\"Patient?nonsense=1\"}]}",
				"Prefer", "respond-async");
		assertOutcome(posted, 400, "CW-BULK-004");
		HttpResponse<String> postedRight = this.http.send("POST", "/fhir/$export", key, "application/fhir+json",
				"{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_type\",\"valueString\":\"Patient\"}]}",
				"Prefer", "respond-async");
		assertThat(postedRight.statusCode()).as(postedRight.body()).isEqualTo(202);
		// Both are still queued (each step waits for maintenance) when a third comes.
		HttpResponse<String> second = this.http.send("GET", "/fhir/$export?_type=Observation", key, null, null,
				"Prefer", "respond-async");
		assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
		assertOutcome(this.http.send("GET", "/fhir/$export?_type=Patient", key, null, null, "Prefer", "respond-async"),
				429, "CW-BULK-006");
		for (HttpResponse<String> started : List.of(postedRight, second)) {
			assertThat(this.http.send("DELETE", path(started), key, null, null).statusCode()).isEqualTo(202);
		}
	}

	/** An export run to its end: the resources of its files by type. */
	private Map<String, List<IBaseResource>> export(String kickOff, String key) throws Exception {
		HttpResponse<String> accepted = this.http.send("GET", kickOff, key, null, null, "Prefer", "respond-async");
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		Map<String, List<IBaseResource>> files = new TreeMap<>();
		for (JsonNode output : manifest(path(accepted), key).get("output")) {
			files.computeIfAbsent(output.get("type").asText(), (type) -> new ArrayList<>())
				.addAll(ndjson(output.get("url").asText(), key));
		}
		return files;
	}

	/** A person with a social security number, which links their records. */
	private static Patient person(String ssn) {
		Patient patient = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		patient.addIdentifier(new Identifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue(ssn));
		return patient;
	}

	private JsonNode manifest(String statusPath, String key) throws IOException {
		List<HttpResponse<String>> last = new ArrayList<>(1);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> response = this.http.get(statusPath, key);
			if (response.statusCode() == 202) {
				assertThat(response.headers().firstValue("X-Progress")).isPresent();
				assertThat(response.headers().firstValue("Retry-After")).isPresent();
				return false;
			}
			last.add(response);
			return true;
		});
		HttpResponse<String> complete = last.get(0);
		assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
		return JSON.readTree(complete.body());
	}

	private static String path(HttpResponse<String> kickOff) {
		URI status = URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());
		return status.getRawPath() + "?" + status.getRawQuery();
	}

	private static List<IBaseResource> ndjson(String url, String key) throws IOException, InterruptedException {
		HttpResponse<String> response = RAW.send(HttpRequest.newBuilder(URI.create(url))
			.header("Accept", "application/fhir+ndjson")
			.header("Authorization", "Bearer " + key)
			.GET()
			.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+ndjson");
		return response.body()
			.lines()
			.filter((line) -> !line.isBlank())
			.map(FHIR.newJsonParser()::parseResource)
			.map(IBaseResource.class::cast)
			.toList();
	}

	private static List<String> ids(List<IBaseResource> resources) {
		return resources.stream().map((resource) -> resource.getIdElement().getIdPart()).toList();
	}

}
