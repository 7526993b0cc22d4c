package health.crosswalk.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.audit.AuditEventConformanceTest.Interaction;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuditJson} writes what HAPI's JSON parser writes, character for character, for
 * every shape of record {@link AuditEventFactory} makes, with every kind of caller and
 * outcome, and with hostile text in every field a client controls; an event with anything
 * it does not write goes to HAPI's parser.
 */
class AuditJsonTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final AuditJson JSON = new AuditJson(FHIR);

	private static final HospitalRef GENERAL = new HospitalRef("general", 2, true, "org-general");

	private static final HospitalDirectory HOSPITALS = new HospitalDirectory() {

		@Override
		public Optional<HospitalRef> findBySlug(String slug) {
			return "unknown".equals(slug) ? Optional.empty()
					: Optional.of(new HospitalRef(slug, 3, true, "org-" + slug));
		}

		@Override
		public Optional<String> ownerOfIdentifierSystem(String system) {
			return Optional.empty();
		}

	};

	/** Text a client controls: quotes, escapes, controls, other scripts, blanks. */
	private static final List<String> HOSTILE = List.of("plain", "quote \" and backslash \\ and slash /",
			"controls \u0000\u0001\u001f\u007f\t\r\n\b\f end", "é ü 中文 😀 \u2028\u2029 \uFEFF", "  padded  ", " ",
			"</script><script>alert(1)</script>", "a".repeat(3000));

	private final List<AuditEvent> seen = new ArrayList<>();

	private final AuditEventFactory factory = new AuditEventFactory("crosswalk@test", "10.0.0.5", HOSPITALS,
			(event) -> {
				this.seen.add(event);
				return JSON.write(event);
			});

	@Test
	void writesWhatHapiWritesForEveryShapeCallerAndOutcome() {
		List<CrosswalkPrincipal> callers = new ArrayList<>();
		callers.add(new CrosswalkPrincipal("key-1", Role.HOSPITAL_SYSTEM, GENERAL, null, "api-key"));
		callers.add(new CrosswalkPrincipal("dr-who", Role.CLINICIAN, GENERAL, null, AuditEventFactory.JWT));
		callers.add(new CrosswalkPrincipal("key-2", Role.AUDITOR, null, null, "api-key"));
		callers.add(new CrosswalkPrincipal(null, null, null, null, null));
		callers.add(null);
		int compared = 0;
		for (Interaction interaction : Interaction.values()) {
			for (CrosswalkPrincipal caller : callers) {
				for (int status : new int[] { 200, 201, 403, 422, 500 }) {
					for (String requestId : new String[] { "req-0123456789ab", null }) {
						AuditFacts facts = AuditEventConformanceTest.facts(interaction, caller, status, requestId);
						if (caller == null && status == 500) {
							facts.requesterHospital = "general";
							facts.requester = "bulk export job";
						}
						compared += compare(facts);
					}
				}
			}
		}
		assertThat(compared).isGreaterThan(500);
	}

	@Test
	void writesWhatHapiWritesForAdministrationJobsAndCustodians() {
		AuditFacts admin = new AuditFacts().interaction("POST /admin/hospitals", 'C');
		admin.kind = AuditFacts.Kind.ADMIN;
		admin.adminPath = "/admin/hospitals";
		admin.principal = new CrosswalkPrincipal("admin-key", Role.ADMIN, null, null, "api-key");
		admin.status = 201;
		compare(admin);

		AuditFacts job = new AuditFacts().interaction("operation", 'E');
		job.operation = "$export";
		job.requesterHospital = "unknown";
		job.query = "GET Patient/$export";
		job.touches.add(new AuditFacts.Touch("Patient/p1", List.of(), Set.of("north", "south", "unknown")));
		compare(job);

		AuditFacts read = new AuditFacts().interaction("read", 'R');
		read.principal = new CrosswalkPrincipal("dr-who", Role.CLINICIAN, GENERAL, null, AuditEventFactory.JWT);
		read.touches.add(new AuditFacts.Touch("Patient/p1", List.of("Patient/p1", "Observation/o1/_history/3"),
				Set.of("north")));
		read.touches
			.add(new AuditFacts.Touch("Patient/p2", List.of("urn:uuid:0b4c", "http://elsewhere/fhir/X/1"), Set.of()));
		read.target = "Observation/o1/_history/3";
		read.bundle = "entry of a transaction bundle";
		read.requestId = "r";
		assertThat(compare(read)).isEqualTo(2);
	}

	@Test
	void writesWhatHapiWritesForHostileTextInEveryClientField() {
		for (String text : HOSTILE) {
			AuditFacts facts = AuditEventConformanceTest.facts(Interaction.SEARCH_WITH_PATIENT,
					new CrosswalkPrincipal(text, Role.CLINICIAN, GENERAL, null, AuditEventFactory.JWT), 400, text);
			facts.query = "GET Observation?code=" + text;
			facts.outcomeDescription = text;
			facts.clientAddress = text;
			facts.bundle = text;
			facts.requester = text;
			compare(facts);

			AuditFacts refused = AuditEventConformanceTest.facts(Interaction.READ_ORGANIZATION, null, 401, text);
			refused.target = text;
			refused.resourceType = text;
			refused.requester = text;
			compare(refused);
		}
	}

	@Test
	void sendsWhatItDoesNotWriteToHapi() {
		AuditEvent extended = event();
		extended.getAgentFirstRep().getNameElement().addExtension("urn:x", new StringType("y"));
		AuditEvent withPeriod = event();
		withPeriod.getPeriod().setStart(new java.util.Date(1_700_000_000_000L));
		AuditEvent local = event();
		local.getEntityFirstRep().setWhat(new Reference("#contained"));
		AuditEvent elementId = event();
		elementId.getType().setId("t1");
		AuditEvent versioned = event();
		versioned.getIdElement().setValue("AuditEvent/a1/_history/2");

		for (AuditEvent event : List.of(extended, withPeriod, local, elementId, versioned)) {
			assertThat(AuditJson.writable(event)).isFalse();
			assertThat(JSON.write(event)).isEqualTo(hapi(event));
		}
		assertThat(AuditJson.writable(event())).isTrue();
	}

	@Test
	void writesAVersionedReferenceWithoutItsVersionAsHapiDoes() {
		AuditEvent event = event();
		event.getEntityFirstRep().setWhat(new Reference("Observation/o1/_history/7"));

		assertThat(AuditJson.writable(event)).isTrue();
		assertThat(JSON.write(event)).contains("\"Observation/o1\"").isEqualTo(hapi(event));
	}

	private AuditEvent event() {
		this.seen.clear();
		this.factory.rows(
				AuditEventConformanceTest.facts(Interaction.READ_PATIENT,
						new CrosswalkPrincipal("key-1", Role.HOSPITAL_SYSTEM, GENERAL, null, "api-key"), 200, "r1"),
				1_700_000_000_123L);
		AuditEvent event = this.seen.get(0);
		event.getSubtypeFirstRep().setUserSelected(true);
		event.addSubtype(new Coding().setSystem("urn:x").setVersion("1").setCode("c"));
		return event;
	}

	/** Records the facts; every record's JSON is HAPI's. Returns how many records. */
	private int compare(AuditFacts facts) {
		this.seen.clear();
		List<AuditRow> rows = this.factory.rows(facts, 1_700_000_000_123L);
		assertThat(rows).hasSameSizeAs(this.seen);
		for (int i = 0; i < rows.size(); i++) {
			AuditEvent event = this.seen.get(i);
			assertThat(AuditJson.writable(event)).as("the factory's events are all written by AuditJson").isTrue();
			assertThat(rows.get(i).resource()).isEqualTo(hapi(event));
		}
		return rows.size();
	}

	private static String hapi(AuditEvent event) {
		return FHIR.newJsonParser().encodeResourceToString(event);
	}

}
