package health.crosswalk.audit;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of FHIR and administrative interaction, allowed and refused, leaves the
 * expected audit records, readable by auditors the moment the response has arrived.
 */
class AuditTrailIT extends CrosswalkIntegrationTest {

	private FhirHttp http;

	private String auditor;

	private AuditClient audits;

	private TestHospital hospital;

	private String patientId;

	private String observationId;

	@BeforeEach
	void setUp() {
		this.http = new FhirHttp(serverUrl());
		this.auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		this.audits = new AuditClient(this.http, this.auditor);
		this.hospital = hospital();
		IGenericClient client = client();
		Reference patient = newPatient(client);
		this.patientId = patient.getReferenceElement().getIdPart();
		this.observationId = client.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), patient))
			.execute()
			.getId()
			.getIdPart();
	}

	@Test
	void readIsRecordedWithPatientAgentsAndSource() {
		String id = this.audits.call("GET", "/fhir/Patient/" + this.patientId, key(), null, 200);
		AuditEvent event = this.audits.single(id);
		assertThat(event.getType().getCode()).isEqualTo("rest");
		assertThat(codes(event.getSubtype())).containsExactly("read");
		assertThat(event.getAction().toCode()).isEqualTo("R");
		assertThat(event.getOutcome().toCode()).isEqualTo("0");
		assertThat(event.getRecorded()).isNotNull();
		assertThat(whats(event)).contains("Patient/" + this.patientId);
		AuditEvent.AuditEventAgentComponent requester = event.getAgent()
			.stream()
			.filter(AuditEvent.AuditEventAgentComponent::getRequestor)
			.findFirst()
			.orElseThrow();
		assertThat(requester.getWho().getReference()).isEqualTo("Organization/" + this.hospital.organizationId());
		assertThat(requester.getName()).isEqualTo(this.hospital.slug());
		assertThat(requester.getNetwork().getAddress()).isNotBlank();
		// BALP Read: the data flows to the client, the
		// destination; the server is the source.
		assertThat(requester.getType().getCodingFirstRep().getCode()).isEqualTo("110152");
		assertThat(event.getAgent()).anySatisfy((agent) -> {
			assertThat(agent.getRequestor()).isFalse();
			assertThat(agent.getType().getCodingFirstRep().getCode()).isEqualTo("110153");
			assertThat(agent.getNetwork().getAddress()).isNotBlank();
			assertThat(agent.getWho().equalsDeep(event.getSource().getObserver())).isTrue();
		});
		assertThat(dataOf(event)).as("BALP's data entity: the Patient read")
			.containsExactly("Patient/" + this.patientId);
		assertThat(event.getSource().getObserver().getDisplay()).isNotBlank();
		assertThat(event.getEntity()).anyMatch((entity) -> entity.getWhat().getIdentifier().getValue() != null
				&& id.equals(entity.getWhat().getIdentifier().getValue()));
	}

	@Test
	void aTokenUsersReadNamesTheUser() {
		String token = health.crosswalk.TestIdentityProvider.get()
			.token(this.hospital.slug(), "clinician", "user/Patient.rs");
		AuditEvent event = this.audits
			.single(this.audits.call("GET", "/fhir/Patient/" + this.patientId, token, null, 200));
		assertThat(event.getAgent()).anySatisfy((agent) -> {
			assertThat(agent.getType().getCodingFirstRep().getCode()).isEqualTo("IRCP");
			assertThat(agent.getWho().getIdentifier().getValue()).isNotBlank();
			assertThat(agent.getRequestor()).isTrue();
		});
	}

	@Test
	void searchesRecordTheQueryAndThePatientEvenWhenEmptyOrCounted() {
		String search = this.audits.call("GET", "/fhir/Observation?patient=Patient/" + this.patientId, key(), null,
				200);
		AuditEvent event = this.audits.single(search);
		assertThat(codes(event.getSubtype())).containsExactly("search-type");
		assertThat(event.getAction().toCode()).isEqualTo("E");
		assertThat(patientOf(event)).isEqualTo("Patient/" + this.patientId);
		AuditEventEntityComponent query = event.getEntity()
			.stream()
			.filter(AuditEventEntityComponent::hasQuery)
			.findFirst()
			.orElseThrow();
		assertThat(new String(query.getQuery())).contains("Observation").contains(this.patientId);

		String empty = this.audits.call("GET", "/fhir/Patient?family=" + unique("nobody"), key(), null, 200);
		AuditEvent none = this.audits.single(empty);
		assertThat(codes(none.getSubtype())).containsExactly("search-type");
		assertThat(patientOf(none)).isNull();

		String count = this.audits.call("GET", "/fhir/Observation?patient=" + this.patientId + "&_summary=count", key(),
				null, 200);
		assertThat(patientOf(this.audits.single(count))).isEqualTo("Patient/" + this.patientId);
	}

	@Test
	void writesAreRecordedOncePerResourceAndDeletesAreFoundByEntity() {
		String create = this.audits.call("POST", "/fhir/Patient", key(), CoreResources.patientJson("Writer", ""), 201);
		AuditEvent created = this.audits.single(create);
		assertThat(codes(created.getSubtype())).containsExactly("create");
		assertThat(created.getAction().toCode()).isEqualTo("C");
		String newId = patientOf(created).substring("Patient/".length());
		assertThat(dataOf(created)).containsExactly("Patient/" + newId);
		assertThat(roles(created)).as("BALP Create: the client sends, the server receives")
			.containsExactly("110153 requestor", "110152");

		String patch = this.audits.call("PATCH", "/fhir/Patient/" + newId, key(),
				"[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"female\"}]", 200, "application/json-patch+json");
		AuditEvent patched = this.audits.single(patch);
		assertThat(codes(patched.getSubtype())).containsExactly("patch");
		assertThat(patched.getAction().toCode()).isEqualTo("U");
		assertThat(dataOf(patched)).containsExactly("Patient/" + newId);
		assertThat(roles(patched)).containsExactly("110153 requestor", "110152");

		String delete = this.audits.call("DELETE", "/fhir/Observation/" + this.observationId, key(), null, 200);
		AuditEvent deleted = this.audits.single(delete);
		assertThat(deleted.getAction().toCode()).isEqualTo("D");
		assertThat(patientOf(deleted)).isEqualTo("Patient/" + this.patientId);
		assertThat(dataOf(deleted)).containsExactly("Observation/" + this.observationId);
		assertThat(roles(deleted)).as("BALP Delete: the client application, the server custodian")
			.containsExactly("110150 requestor", "custodian");
		List<AuditEvent> byEntity = this.audits.search("entity=Observation/" + this.observationId + "&action=D");
		assertThat(byEntity).extracting(AuditEvent::getIdPart).contains(deleted.getIdPart());
	}

	@Test
	void historyVersionsUpdatesAndStalePreconditionsAreRecorded() {
		String vread = this.audits.call("GET", "/fhir/Patient/" + this.patientId + "/_history/1", key(), null, 200);
		assertThat(codes(this.audits.single(vread).getSubtype())).containsExactly("vread");
		String history = this.audits.call("GET", "/fhir/Patient/" + this.patientId + "/_history", key(), null, 200);
		AuditEvent historyEvent = this.audits.single(history);
		assertThat(codes(historyEvent.getSubtype())).containsExactly("history-instance");
		assertThat(historyEvent.getAction().toCode()).isEqualTo("R");
		assertThat(patientOf(historyEvent)).isEqualTo("Patient/" + this.patientId);

		String body = CoreResources.patientJson("Updated", "\"id\":\"" + this.patientId + "\"");
		String update = this.audits.call("PUT", "/fhir/Patient/" + this.patientId, key(), body, 200);
		AuditEvent updated = this.audits.single(update);
		assertThat(codes(updated.getSubtype())).containsExactly("update");
		assertThat(updated.getAction().toCode()).isEqualTo("U");

		String stale = FhirHttp.requestId("stale");
		HttpResponse<String> response = this.http.send("PUT", "/fhir/Patient/" + this.patientId, key(),
				"application/fhir+json", body, "X-Request-ID", stale, "If-Match", "W/\"1\"");
		assertThat(response.statusCode()).isEqualTo(412);
		AuditEvent refused = this.audits.single(stale);
		assertThat(codes(refused.getSubtype())).containsExactly("update");
		assertThat(refused.getOutcome().toCode()).isEqualTo("4");
		assertThat(refused.getOutcomeDesc()).startsWith("412 CW-REQ-006");
	}

	@Test
	void aBatchRecordsEachEntryWhetherItSucceededOrFailed() {
		String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
				+ entry(CoreResources.patientJson("Batched", "")) + "," + entry("{\"resourceType\":\"Patient\"}")
				+ ",{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_count=abc\"}}]}";
		String id = this.audits.call("POST", "/fhir", key(), batch, 200);
		List<AuditEvent> events = this.audits.events(id);
		assertThat(events).extracting((event) -> codes(event.getSubtype()).get(0) + " " + event.getOutcome().toCode())
			.containsExactlyInAnyOrder("batch 0", "create 0", "create 4", "search-type 4");
		// A refused search is still a query in BALP's pattern: it names its query.
		assertThat(events).filteredOn((event) -> "search-type".equals(codes(event.getSubtype()).get(0)))
			.singleElement()
			.satisfies((event) -> assertThat(event.getEntity())
				.anySatisfy((entity) -> assertThat(entity.getDescription()).isEqualTo("GET Patient?_count=abc")));
	}

	@Test
	void operationsPagingAndStewardsAreRecorded() {
		for (String operation : List.of(
				"/fhir/Patient/$ihe-pix?sourceIdentifier=" + this.hospital.mrnSystem() + "%7Cnobody",
				"/fhir/Patient/" + this.patientId + "/$validate")) {
			String id = this.audits.call("GET", operation, key(), null, (operation.contains("ihe-pix")) ? 404 : 200);
			AuditEvent event = this.audits.single(id);
			assertThat(codes(event.getSubtype())).first().isEqualTo("operation");
			assertThat(codes(event.getSubtype())).containsExactlyElementsOf(operation.contains("ihe-pix")
					? List.of("operation", "$ihe-pix", "ITI-83", "search") : List.of("operation", "$validate"));
		}
		String match = this.audits.call(
				"POST", "/fhir/Patient/$match", key(), "{\"resourceType\":\"Parameters\",\"parameter\":"
						+ "[{\"name\":\"resource\",\"resource\":" + CoreResources.patientJson("Matched", "") + "}]}",
				200);
		AuditEvent matched = this.audits.single(match);
		assertThat(codes(matched.getSubtype())).containsExactly("operation", "$match", "ITI-119", "search");
		assertThat(matched.getSubtype()).filteredOn((subtype) -> "ITI-119".equals(subtype.getCode()))
			.singleElement()
			.satisfies((subtype) -> assertThat(subtype.getSystem()).isEqualTo("urn:ihe:event-type-code"));
		assertThat(roles(matched)).containsExactly("110153 requestor", "110152");

		newPatient(client());
		HttpResponse<String> first = this.http.get("/fhir/Patient?_count=1", key());
		String next = FHIR.newJsonParser().parseResource(Bundle.class, first.body()).getLink("next").getUrl();
		String page = this.audits.call("GET", next.substring(next.indexOf("/fhir")), key(), null, 200);
		assertThat(codes(this.audits.single(page).getSubtype())).containsExactly("search-type");

		String steward = TestHospitals.networkKey(context(), Role.STEWARD);
		String reviews = this.audits.call("GET", "/admin/linkage/reviews", steward, null, 200, "application/json");
		AuditEvent review = this.audits.single(reviews);
		assertThat(codes(review.getSubtype())).containsExactly("GET /admin/linkage/reviews");
		assertThat(review.getAction().toCode()).isEqualTo("R");

		String admin = TestHospitals.networkKey(context(), Role.ADMIN);
		String issued = this.audits.call("POST", "/admin/hospitals/" + this.hospital.slug() + "/keys", admin,
				"{\"role\":\"clinician\"}", 201, "application/json");
		AuditEvent credential = this.audits.single(issued);
		assertThat(codes(credential.getSubtype())).containsExactly("POST /admin/hospitals/{slug}/keys");
		assertThat(credential.getEntity())
			.anySatisfy((entity) -> assertThat(entity.getWhat().getIdentifier().getValue())
				.isEqualTo("/admin/hospitals/" + this.hospital.slug() + "/keys"));
		assertThat(credential.getOutcomeDesc()).doesNotContain("cwk_");
	}

	@Test
	void refusedAndFailedRequestsAreRecordedWithTheirCode() {
		String anonymous = this.audits.call("GET", "/fhir/Patient/" + this.patientId, null, null, 401);
		AuditEvent unauthenticated = this.audits.single(anonymous);
		assertThat(unauthenticated.getOutcome().toCode()).isEqualTo("4");
		assertThat(unauthenticated.getOutcomeDesc()).startsWith("401").contains("CW-AUTH-");
		assertThat(patientOf(unauthenticated)).isEqualTo("Patient/" + this.patientId);

		assertThat(dataOf(unauthenticated)).as("a refused read names what it asked for")
			.containsExactly("Patient/" + this.patientId);

		String forbidden = this.audits.call("GET", "/fhir/Patient/" + this.patientId, this.auditor, null, 403);
		AuditEvent refusedRead = this.audits.single(forbidden);
		assertThat(refusedRead.getOutcomeDesc()).startsWith("403 CW-AUTH-");
		assertThat(dataOf(refusedRead)).containsExactly("Patient/" + this.patientId);
		assertThat(roles(refusedRead)).containsExactly("110152 requestor", "110153");

		String missing = this.audits.call("GET", "/fhir/Patient/" + UUID.randomUUID(), key(), null, 404);
		assertThat(this.audits.single(missing).getOutcome().toCode()).isEqualTo("4");

		String invalid = this.audits.call("POST", "/fhir/Patient", key(), "{\"resourceType\":\"Patient\"}", 422);
		AuditEvent refused = this.audits.single(invalid);
		assertThat(codes(refused.getSubtype())).containsExactly("create");
		assertThat(refused.getOutcomeDesc()).startsWith("422 CW-PROF-001");
	}

	@Test
	void bundlesRecordTheBundleAndEachEntry() {
		String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
				+ entry(CoreResources.patientJson("Bundled", "")) + "," + entry(CoreResources.patientJson("Other", ""))
				+ ",{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + this.patientId + "\"}}]}";
		String id = this.audits.call("POST", "/fhir", key(), bundle, 200);
		List<AuditEvent> events = this.audits.events(id);
		assertThat(events)
			.as(() -> events.stream()
				.map((event) -> codes(event.getSubtype()) + " " + whats(event))
				.toList()
				.toString())
			.hasSize(4);
		assertThat(events).filteredOn((event) -> codes(event.getSubtype()).contains("transaction")).hasSize(1);
		assertThat(events).filteredOn((event) -> codes(event.getSubtype()).contains("create")).hasSize(2);
		assertThat(events).filteredOn((event) -> codes(event.getSubtype()).contains("read"))
			.singleElement()
			.satisfies((event) -> assertThat(patientOf(event)).isEqualTo("Patient/" + this.patientId));

		String failing = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
				+ entry(CoreResources.patientJson("Rolledback", "")) + "," + entry("{\"resourceType\":\"Patient\"}")
				+ "]}";
		String failed = this.audits.call("POST", "/fhir", key(), failing, 422);
		assertThat(this.audits.events(failed)).singleElement().satisfies((event) -> {
			assertThat(codes(event.getSubtype())).containsExactly("transaction");
			assertThat(event.getOutcome().toCode()).isEqualTo("4");
		});
	}

	@Test
	void operationsAndAdministrationAreRecorded() {
		String everything = this.audits.call("GET", "/fhir/Patient/" + this.patientId + "/$everything", key(), null,
				200);
		AuditEvent event = this.audits.single(everything);
		// BALP's PatientQuery: a search subtype, the query,
		// the patient, and no data entity.
		assertThat(codes(event.getSubtype())).containsExactly("operation", "$everything", "search");
		assertThat(event.getAction().toCode()).isEqualTo("E");
		assertThat(patientOf(event)).isEqualTo("Patient/" + this.patientId);
		assertThat(event.getEntity()).filteredOn(AuditEventEntityComponent::hasQuery)
			.singleElement()
			.satisfies((query) -> assertThat(query.getRole().getCode()).isEqualTo("24"));
		assertThat(dataOf(event)).isEmpty();
		assertThat(roles(event)).containsExactly("110153 requestor", "110152");

		String admin = TestHospitals.networkKey(context(), Role.ADMIN);
		String registered = this.audits.call("POST", "/admin/hospitals", admin,
				"{\"slug\":\"a-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"name\":\"Audited\"}", 201,
				"application/json");
		AuditEvent administration = this.audits.single(registered);
		assertThat(administration.getType().getCode()).isEqualTo("admin");
		assertThat(codes(administration.getSubtype())).containsExactly("POST /admin/hospitals");
		assertThat(administration.getAction().toCode()).isEqualTo("C");

		String refused = this.audits.call("GET", "/admin/hospitals", this.auditor, null, 403, "application/json");
		assertThat(this.audits.single(refused).getOutcomeDesc()).startsWith("403");
	}

	@Test
	void aCrossHospitalDisclosureSaysWhoseDataWentToWhom() {
		TestHospital other = newHospital();
		String ssn = UUID.randomUUID().toString();
		String atA = createPerson(key(), ssn);
		String atB = createPerson(other.key(), ssn);
		String everything = this.audits.call("GET", "/fhir/Patient/" + atA + "/$everything", key(), null, 200);
		List<AuditEvent> events = this.audits.events(everything);
		assertThat(events).extracting(AuditTrailIT::patientOf)
			.containsExactlyInAnyOrder("Patient/" + atA, "Patient/" + atB);
		AuditEvent disclosure = events.stream()
			.filter((event) -> ("Patient/" + atB).equals(patientOf(event)))
			.findFirst()
			.orElseThrow();
		assertThat(disclosure.getAgent()).anySatisfy((agent) -> {
			assertThat(agent.getType().getCodingFirstRep().getCode()).isEqualTo("CST");
			assertThat(agent.getWho().getReference()).isEqualTo("Organization/" + other.organizationId());
			assertThat(agent.getName()).isEqualTo(other.slug());
		});
		assertThat(disclosure.getAgent()).anySatisfy((agent) -> {
			assertThat(agent.getRequestor()).isTrue();
			assertThat(agent.getName()).isEqualTo(this.hospital.slug());
		});
		assertThat(this.audits.search("agent=Organization/" + other.organizationId() + "&patient=Patient/" + atB))
			.extracting(AuditEvent::getIdPart)
			.contains(disclosure.getIdPart());
	}

	private String createPerson(String bearer, String ssn) {
		String json = CoreResources.patientJson("Disclosed", "")
			.replace("\"identifier\":[",
					"\"identifier\":[{\"system\":\"http://hl7.org/fhir/sid/us-ssn\",\"value\":\"" + ssn + "\"},");
		HttpResponse<String> created = this.http.send("POST", "/fhir/Patient", bearer, "application/fhir+json", json);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.Patient.class, created.body()).getIdPart();
	}

	@Test
	void auditEventsCannotBeWrittenByAnyRoleAndReadingThemIsAudited() {
		String event = "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"rest\"},\"recorded\":"
				+ "\"2026-01-01T00:00:00Z\",\"agent\":[{\"requestor\":true}],\"source\":{\"observer\":{\"display\":\"x\"}}}";
		for (String bearer : List.of(key(), this.auditor, TestHospitals.networkKey(context(), Role.ADMIN))) {
			HttpResponse<String> create = this.http.send("POST", "/fhir/AuditEvent", bearer, "application/fhir+json",
					event);
			assertThat(create.statusCode()).as(create.body()).isBetween(400, 499);
			assertThat(create.body()).contains("OperationOutcome");
		}
		String existing = this.audits.search("_count=1").get(0).getIdPart();
		HttpResponse<String> delete = this.http.send("DELETE", "/fhir/AuditEvent/" + existing, this.auditor, null,
				null);
		assertThat(delete.statusCode()).isBetween(400, 499);
		HttpResponse<String> update = this.http.send("PUT", "/fhir/AuditEvent/" + existing, this.auditor,
				"application/fhir+json", event.replace("{\"resourceType\":\"AuditEvent\",",
						"{\"resourceType\":\"AuditEvent\",\"id\":\"" + existing + "\","));
		assertThat(update.statusCode()).isBetween(400, 499);

		String read = this.audits.call("GET", "/fhir/AuditEvent?outcome=0&_count=1", this.auditor, null, 200);
		assertThat(codes(this.audits.single(read).getSubtype())).containsExactly("search-type");
	}

	private String key() {
		return this.hospital.key();
	}

	private static String entry(String resource) {
		return "{\"resource\":" + resource + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}";
	}

	private static List<String> codes(List<Coding> codings) {
		return codings.stream().map(Coding::getCode).toList();
	}

	private static List<String> whats(AuditEvent event) {
		return event.getEntity().stream().map((entity) -> entity.getWhat().getReference()).toList();
	}

	/** BALP's data entities: system objects in a REST role. */
	private static List<String> dataOf(AuditEvent event) {
		return event.getEntity()
			.stream()
			.filter((entity) -> "2".equals(entity.getType().getCode()) && "4".equals(entity.getRole().getCode()))
			.map((entity) -> entity.getWhat().getReference())
			.toList();
	}

	/** The client's and the server's agent types, the requestor marked. */
	private static List<String> roles(AuditEvent event) {
		return event.getAgent()
			.stream()
			.filter((agent) -> !"CST".equals(agent.getType().getCodingFirstRep().getCode()))
			.map((agent) -> agent.getType().getCodingFirstRep().getCode() + (agent.getRequestor() ? " requestor" : ""))
			.toList();
	}

	private static String patientOf(AuditEvent event) {
		return event.getEntity()
			.stream()
			.filter((entity) -> "1".equals(entity.getRole().getCode()))
			.map((entity) -> entity.getWhat().getReference())
			.findFirst()
			.orElse(null);
	}

}
