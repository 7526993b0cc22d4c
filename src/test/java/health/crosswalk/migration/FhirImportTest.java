package health.crosswalk.migration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.UrlUtil;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import's plan on a fake server that checks what a FHIR server would: every
 * reference resolves (in the transaction or by a conditional reference to a stored
 * record), and an Observation without a status is refused.
 */
class FhirImportTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final String LEGACY = FhirImport.LEGACY_SYSTEM + "old";

	@TempDir
	Path directory;

	private final Map<String, String> stored = new HashMap<>();

	private final List<Integer> transactions = new ArrayList<>();

	private final FhirImport.Server server = (transaction) -> {
		this.transactions.add(transaction.getEntry().size());
		Set<String> inBundle = new HashSet<>();
		transaction.getEntry().forEach((entry) -> inBundle.add(entry.getFullUrl()));
		Bundle response = new Bundle();
		Map<String, String> added = new HashMap<>();
		for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
			Resource resource = entry.getResource();
			assertThat(resource.hasId()).isFalse();
			if (resource instanceof Observation observation && !observation.hasStatus()) {
				throw new FhirImport.Refused("422 Observation.status: minimum required = 1");
			}
			for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
				String target = reference.getReference();
				boolean resolves = target.startsWith("urn:uuid:") ? inBundle.contains(target)
						: this.stored.containsKey(valueOf(target));
				if (!resolves) {
					throw new FhirImport.Refused("400 unresolvable reference " + target);
				}
			}
			this.matchUrls.add(entry.getRequest().getUrl());
			String key = valueOf(entry.getRequest().getUrl());
			boolean created = !this.stored.containsKey(key);
			added.put(key, resource.fhirType());
			response.addEntry().getResponse().setStatus(created ? "201 Created" : "200 OK");
		}
		this.stored.putAll(added);
		return response;
	};

	private final List<String> matchUrls = new ArrayList<>();

	/** The legacy id a conditional URL searches for, unescaped as a server would. */
	private static String valueOf(String url) {
		String value = UrlUtil.unescape(url.substring(url.indexOf('|') + 1));
		return value.replaceAll("\\\\([,|$\\\\])", "$1");
	}

	private FhirImport importer(int chunk) {
		return new FhirImport(FHIR, this.server, "old", Set.of("urn:upi"), chunk, (line) -> {
		});
	}

	private Path ndjson(String name, Resource... resources) throws Exception {
		StringBuilder text = new StringBuilder();
		for (Resource resource : resources) {
			text.append(FHIR.newJsonParser().encodeResourceToString(resource)).append('\n');
		}
		return Files.writeString(this.directory.resolve(name), text, StandardCharsets.UTF_8);
	}

	private static Patient patient(String id) {
		Patient patient = new Patient();
		patient.setId(id);
		patient.addIdentifier(new Identifier().setSystem("urn:upi").setValue("UPI-" + id));
		patient.addIdentifier(new Identifier().setSystem("urn:mrn").setValue(id));
		patient.addLink().setOther(new Reference("Patient/elsewhere"));
		return patient;
	}

	private static Observation observation(String id, String subject, String member) {
		Observation observation = new Observation();
		observation.setId(id);
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.setSubject(new Reference(subject));
		if (member != null) {
			observation.addHasMember(new Reference("Observation/" + member));
		}
		return observation;
	}

	@Test
	void referencedTypesGoFirstAndAReferenceToALaterRecordWaitsForIt() throws Exception {
		// Observations first in the files, a member after the panel naming it, across
		// transactions of two.
		ndjson("a.ndjson", observation("panel", "Patient/p1", "late"), observation("o2", "Patient/p2", null),
				observation("o3", "Patient/p1", null), observation("late", "Patient/p1", null));
		ndjson("b.ndjson", patient("p1"), patient("p2"));

		ImportReport report = importer(2).run("general", "old", List.of(this.directory), null, false);

		assertThat(report.refusals()).isEmpty();
		assertThat(report.balanced()).isTrue();
		assertThat(report.types().get("Patient").created()).isEqualTo(2);
		assertThat(report.types().get("Observation").created()).isEqualTo(4);
		assertThat(this.stored).containsOnlyKeys("Patient/p1", "Patient/p2", "Observation/panel", "Observation/o2",
				"Observation/o3", "Observation/late");

		// A second run updates the same records.
		ImportReport again = importer(2).run("general", "old", List.of(this.directory), null, false);
		assertThat(again.types().get("Observation").updated()).isEqualTo(4);
		assertThat(again.types().get("Observation").created()).isZero();
	}

	@Test
	void aRefusedRecordIsReportedWithItsReasonAndTakesWhatRefersToItWithIt() throws Exception {
		Observation noStatus = observation("bad", "Patient/p1", null);
		noStatus.setStatus(null);
		ndjson("obs.ndjson", observation("good", "Patient/p1", null), noStatus,
				observation("panel", "Patient/p1", "bad"), observation("good", "Patient/p1", null));
		Files.writeString(this.directory.resolve("junk.ndjson"), "not json\n\n", StandardCharsets.UTF_8);
		ndjson("patients.ndjson", patient("p1"));

		ImportReport report = importer(10).run("general", "old", List.of(this.directory), null, false);

		assertThat(report.refusals()).extracting(ImportReport.Refusal::legacyId)
			.containsExactlyInAnyOrder(null, "Observation/good", "Observation/bad", "Observation/panel");
		assertThat(report.refusals()).extracting(ImportReport.Refusal::reason)
			.anySatisfy((reason) -> assertThat(reason).startsWith("not a FHIR resource"))
			.anySatisfy((reason) -> assertThat(reason).contains("twice"))
			.anySatisfy((reason) -> assertThat(reason).contains("Observation.status"))
			.anySatisfy((reason) -> assertThat(reason).contains("Observation/bad, which was not imported"));
		assertThat(report.balanced()).isTrue();
		assertThat(this.stored).containsOnlyKeys("Patient/p1", "Observation/good");
	}

	@Test
	void aBundleSourceKeysItsEntriesByFullUrlAndLeavesOutTheServersElements() throws Exception {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		Patient patient = patient("x");
		patient.setId((String) null);
		bundle.addEntry().setFullUrl("urn:uuid:11111111-1111-1111-1111-111111111111").setResource(patient);
		bundle.addEntry()
			.setFullUrl("urn:uuid:22222222-2222-2222-2222-222222222222")
			.setResource(observation(null, "urn:uuid:11111111-1111-1111-1111-111111111111", null));
		Files.writeString(this.directory.resolve("synthea.json"), FHIR.newJsonParser().encodeResourceToString(bundle));
		List<Bundle> sent = new ArrayList<>();
		FhirImport.Server recording = (transaction) -> {
			sent.add(transaction);
			return this.server.transaction(transaction);
		};

		ImportReport report = new FhirImport(FHIR, recording, "old", Set.of("urn:upi"), 100, (line) -> {
		}).run("general", "old", List.of(this.directory), null, false);

		assertThat(report.refusals()).isEmpty();
		assertThat(this.stored).containsOnlyKeys("urn:uuid:11111111-1111-1111-1111-111111111111",
				"urn:uuid:22222222-2222-2222-2222-222222222222");
		Patient written = (Patient) sent.get(0).getEntryFirstRep().getResource();
		assertThat(written.getIdentifier()).extracting(Identifier::getSystem).containsExactly("urn:mrn", LEGACY);
		assertThat(written.hasLink()).isFalse();
		assertThat(report.markdown()).contains("Patient.link", "UPI identifier");
	}

	@Test
	void aDryRunReadsAndWritesNothing() throws Exception {
		ndjson("p.ndjson", patient("p1"));
		ImportReport report = importer(10).run("general", "old", List.of(this.directory), null, true);
		assertThat(this.transactions).isEmpty();
		assertThat(report.types().get("Patient").read()).isEqualTo(1);
	}

	@Test
	void recordsReferringToEachOtherGoInOneTransactionAndASelfReferenceResolves() throws Exception {
		Encounter encounter = new Encounter();
		encounter.setId("e1");
		encounter.setStatus(Encounter.EncounterStatus.FINISHED);
		encounter.addDiagnosis().setCondition(new Reference("Condition/c1"));
		Condition condition = new Condition();
		condition.setId("c1");
		condition.setEncounter(new Reference("Encounter/e1"));
		Observation itself = observation("o1", "Patient/p1", "o1");
		ndjson("all.ndjson", encounter, condition, itself, patient("p1"));

		ImportReport report = importer(1).run("general", "old", List.of(this.directory), null, false);

		assertThat(report.refusals()).isEmpty();
		assertThat(this.stored).containsKeys("Encounter/e1", "Condition/c1", "Observation/o1");
		assertThat(this.transactions).contains(2);
	}

	@Test
	void aTypeWithoutARepeatingIdentifierIsFoundByItsTagAndValuesAreEscapedAsTokens() throws Exception {
		Provenance provenance = new Provenance();
		provenance.setId("prov,1");
		provenance.addTarget(new Reference("Patient/p1"));
		ndjson("all.ndjson", provenance, patient("p1"));

		ImportReport report = importer(10).run("general", "old", List.of(this.directory), null, false);

		assertThat(report.refusals()).isEmpty();
		assertThat(this.matchUrls)
			.anySatisfy((url) -> assertThat(url).startsWith("Provenance?_tag=").contains("%5C%2C"));
		assertThat(this.stored).containsKey("Provenance/prov,1");
	}

	@Test
	void aReferenceToARecordOfAnEarlierRunResolvesThroughItsLegacyId() throws Exception {
		Path first = Files.createDirectory(this.directory.resolve("first"));
		Files.writeString(first.resolve("p.ndjson"), FHIR.newJsonParser().encodeResourceToString(patient("p1")));
		importer(10).run("general", "old", List.of(first), null, false);
		Path second = Files.createDirectory(this.directory.resolve("second"));
		Files.writeString(second.resolve("o.ndjson"),
				FHIR.newJsonParser().encodeResourceToString(observation("o1", "Patient/p1", null)) + "\n"
						+ FHIR.newJsonParser().encodeResourceToString(observation("o2", "Patient/never", null)));

		ImportReport report = importer(1).run("general", "old", List.of(second), null, false);

		assertThat(this.stored).containsKey("Observation/o1").doesNotContainKey("Observation/o2");
		assertThat(report.refusals()).singleElement()
			.satisfies(
					(refusal) -> assertThat(refusal.reason()).contains("unresolvable reference Patient?identifier="));
	}

	@Test
	void aRecordReferringToARowTheMappingRefusedOrToNoRowIsRefusedWithoutBeingSent() {
		SourceRecords.SourceRecord refusedPatient = new SourceRecords.SourceRecord("patients", 1, "patients/1", null,
				"Patient", null, "user_id 9 names no users row");
		SourceRecords.SourceRecord aboutIt = new SourceRecords.SourceRecord("vital_signs", 1, "vital_signs/1/hr",
				FHIR.newJsonParser().encodeResourceToString(observation(null, "patients/1", null)), "Observation", null,
				null);
		SourceRecords.SourceRecord aboutNobody = new SourceRecords.SourceRecord("vital_signs", 2, "vital_signs/2/hr",
				FHIR.newJsonParser().encodeResourceToString(observation(null, "patients/2", null)), "Observation", null,
				null);

		ImportReport report = importer(10).run("general", "old",
				java.util.Map.of("patients", List.of(refusedPatient), "vital_signs", List.of(aboutIt, aboutNobody)),
				java.util.Map.of(), false);

		assertThat(this.transactions).isEmpty();
		assertThat(report.balanced()).isTrue();
		assertThat(report.refusals()).extracting(ImportReport.Refusal::reason)
			.containsExactlyInAnyOrder("user_id 9 names no users row",
					"it refers to patients/1, which was not imported: user_id 9 names no users row",
					"it refers to patients/2, which the source does not have");
	}

}
