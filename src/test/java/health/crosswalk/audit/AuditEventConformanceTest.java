package health.crosswalk.audit;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.conformance.Conformance;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Identifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of REST interaction, as {@link AuditEventFactory} records it, fits the IHE
 * profile of that interaction (BALP 1.1.4, PIXm 3.1.0, PDQm 3.2.0), with an API key and
 * with a token, allowed and refused. No server, no database: the factory's own output.
 */
class AuditEventConformanceTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final HospitalRef GENERAL = new HospitalRef("general", 2, true, "org-general");

	/** Every hospital known, its Organization named after it. */
	static final HospitalDirectory HOSPITALS = new HospitalDirectory() {

		@Override
		public Optional<HospitalRef> findBySlug(String slug) {
			return Optional.of(new HospitalRef(slug, 3, true, "org-" + slug));
		}

		@Override
		public Optional<String> ownerOfIdentifierSystem(String system) {
			return Optional.empty();
		}

	};

	private final AuditEventFactory factory = new AuditEventFactory(FHIR, "crosswalk@test", "10.0.0.5", HOSPITALS);

	enum Interaction {

		READ_PATIENT("read", 'R', "Patient/p1", (facts) -> touch(facts, "Patient/p1", "Patient/p1")),

		VREAD_OBSERVATION("vread", 'R', "Observation/o1", (facts) -> touch(facts, "Patient/p1", "Observation/o1")),

		READ_ORGANIZATION("read", 'R', "Organization/x", (facts) -> {
		}),

		CREATE_PATIENT("create", 'C', null, (facts) -> touch(facts, "Patient/p2", "Patient/p2")),

		CREATE_PRACTITIONER("create", 'C', null,
				(facts) -> facts.touches.add(new AuditFacts.Touch(null, List.of("Practitioner/d1"), Set.of()))),

		CREATE_NOTHING_STORED("create", 'C', null, (facts) -> facts.resourceType = "Patient"),

		UPDATE_PATIENT("update", 'U', null, (facts) -> touch(facts, "Patient/p1", "Patient/p1")),

		PATCH_OBSERVATION("patch", 'U', null, (facts) -> touch(facts, "Patient/p1", "Observation/o1")),

		DELETE_OBSERVATION("delete", 'D', null, (facts) -> touch(facts, "Patient/p1", "Observation/o1")),

		SEARCH_WITH_PATIENT("search-type", 'E', null, (facts) -> {
			facts.query = "GET Observation?patient=p1";
			facts.touches.add(new AuditFacts.Touch("Patient/p1", List.of(), Set.of("other")));
		}),

		SEARCH_EMPTY("search-type", 'E', null, (facts) -> facts.query = "GET Patient?family=Nobody"),

		EVERYTHING("operation", 'E', "Patient/p1", (facts) -> {
			facts.operation = "$everything";
			facts.query = "GET Patient/p1/$everything";
			facts.touches.add(new AuditFacts.Touch("Patient/p1", List.of(), Set.of()));
		}),

		PIX("operation", 'E', null, (facts) -> {
			facts.operation = "$ihe-pix";
			facts.query = "GET Patient/$ihe-pix?sourceIdentifier=urn:mrn|1";
			facts.touches.add(new AuditFacts.Touch("Patient/p1", List.of(), Set.of(),
					new Identifier().setSystem("urn:mrn").setValue("1")));
		}),

		PIX_BY_IDENTIFIER_ONLY("operation", 'E', null, (facts) -> {
			facts.operation = "$ihe-pix";
			facts.query = "GET Patient/$ihe-pix?sourceIdentifier=urn:mrn|unknown";
			facts.touches.add(new AuditFacts.Touch(null, List.of(), Set.of(),
					new Identifier().setSystem("urn:mrn").setValue("unknown")));
		}),

		MATCH("operation", 'E', null, (facts) -> {
			facts.operation = "$match";
			facts.query = "POST Patient/$match";
			facts.touches.add(new AuditFacts.Touch("Patient/p1", List.of(), Set.of()));
		});

		final String interaction;

		final char action;

		final String target;

		final Consumer<AuditFacts> details;

		Interaction(String interaction, char action, String target, Consumer<AuditFacts> details) {
			this.interaction = interaction;
			this.action = action;
			this.target = target;
			this.details = details;
		}

		private static void touch(AuditFacts facts, String patient, String resource) {
			facts.touches.add(new AuditFacts.Touch(patient, List.of(resource), Set.of()));
		}

	}

	@ParameterizedTest
	@EnumSource(Interaction.class)
	void anApiKeysInteractionFitsItsProfile(Interaction interaction) {
		assertFits(event(interaction, apiKey(), 200));
	}

	@ParameterizedTest
	@EnumSource(Interaction.class)
	void aTokenUsersInteractionFitsItsProfile(Interaction interaction) {
		AuditEvent event = event(interaction,
				new CrosswalkPrincipal("dr-who", Role.CLINICIAN, GENERAL, null, AuditEventFactory.JWT), 200);
		assertThat(event.getAgent()).hasSize(3 + (interaction == Interaction.SEARCH_WITH_PATIENT ? 1 : 0));
		assertFits(event);
	}

	@ParameterizedTest
	@EnumSource(Interaction.class)
	void aRefusedInteractionKeepsItsProfilesShape(Interaction interaction) {
		AuditEvent event = event(interaction, apiKey(), 403);
		assertThat(event.getOutcome().toCode()).isEqualTo("4");
		assertFits(event);
	}

	private static void assertFits(AuditEvent event) {
		assertThat(Conformance.profilesFor(event)).as("an IHE profile covers it").isNotEmpty();
		assertThat(Conformance.auditErrors(event))
			.as(Conformance.describe(event) + ": "
					+ FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(event))
			.isEmpty();
	}

	private AuditEvent event(Interaction interaction, CrosswalkPrincipal principal, int status) {
		List<AuditRow> rows = this.factory.rows(facts(interaction, principal, status, "req-0123456789ab"),
				1_700_000_000_000L);
		assertThat(rows).hasSize(1);
		return FHIR.newJsonParser().parseResource(AuditEvent.class, rows.get(0).resource());
	}

	/** What the server knows of an interaction when it records it. */
	static AuditFacts facts(Interaction interaction, CrosswalkPrincipal principal, int status, String requestId) {
		AuditFacts facts = new AuditFacts().interaction(interaction.interaction, interaction.action);
		facts.principal = principal;
		facts.clientAddress = "192.0.2.7";
		facts.requestId = requestId;
		facts.status = status;
		facts.outcomeDescription = String.valueOf(status);
		facts.target = interaction.target;
		interaction.details.accept(facts);
		return facts;
	}

	/** A hospital system's API key at the hospital {@code general}. */
	static CrosswalkPrincipal apiKey() {
		return new CrosswalkPrincipal("key-1", Role.HOSPITAL_SYSTEM, GENERAL, null, "api-key");
	}

}
