package health.crosswalk.conformance;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static health.crosswalk.conformance.IheProfile.BALP_CREATE;
import static health.crosswalk.conformance.IheProfile.BALP_DELETE;
import static health.crosswalk.conformance.IheProfile.BALP_PATIENT_CREATE;
import static health.crosswalk.conformance.IheProfile.BALP_PATIENT_DELETE;
import static health.crosswalk.conformance.IheProfile.BALP_PATIENT_QUERY;
import static health.crosswalk.conformance.IheProfile.BALP_PATIENT_READ;
import static health.crosswalk.conformance.IheProfile.BALP_PATIENT_UPDATE;
import static health.crosswalk.conformance.IheProfile.BALP_QUERY;
import static health.crosswalk.conformance.IheProfile.BALP_READ;
import static health.crosswalk.conformance.IheProfile.BALP_UPDATE;
import static health.crosswalk.conformance.IheProfile.PDQM_MATCH_AUDIT_SUPPLIER;
import static health.crosswalk.conformance.IheProfile.PDQM_MATCH_PARAMETERS_OUT;
import static health.crosswalk.conformance.IheProfile.PDQM_PATIENT;
import static health.crosswalk.conformance.IheProfile.PIXM_QUERY_AUDIT_MANAGER;
import static health.crosswalk.conformance.IheProfile.PIXM_QUERY_PARAMETERS_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Crosswalk's AuditEvents and its {@code $ihe-pix} and {@code $match} answers against our
 * transcriptions of IHE BALP 1.1.4, PIXm 3.1.0 and PDQm 3.2.0: shapes as Crosswalk emits
 * them conform, and each deliberately broken one fails with the error expected.
 */
class IheProfilesTest {

	private static ConformanceValidator validator;

	@BeforeAll
	static void build() {
		validator = Conformance.validator();
	}

	/** One well-formed instance per profile, as Crosswalk emits it. */
	private static Map<IheProfile, Supplier<IBaseResource>> wellFormed() {
		return Map.ofEntries(Map.entry(BALP_CREATE, () -> CrosswalkShapes.create(false)),
				Map.entry(BALP_PATIENT_CREATE, () -> CrosswalkShapes.create(true)),
				Map.entry(BALP_READ, () -> CrosswalkShapes.read("read", false)),
				Map.entry(BALP_PATIENT_READ, () -> CrosswalkShapes.read("read", true)),
				Map.entry(BALP_UPDATE, () -> CrosswalkShapes.update("update", false)),
				Map.entry(BALP_PATIENT_UPDATE, () -> CrosswalkShapes.update("update", true)),
				Map.entry(BALP_DELETE, () -> CrosswalkShapes.delete(false)),
				Map.entry(BALP_PATIENT_DELETE, () -> CrosswalkShapes.delete(true)),
				Map.entry(BALP_QUERY, () -> CrosswalkShapes.search(false)),
				Map.entry(BALP_PATIENT_QUERY, () -> CrosswalkShapes.search(true)),
				Map.entry(PIXM_QUERY_AUDIT_MANAGER, CrosswalkShapes::pix),
				Map.entry(PIXM_QUERY_PARAMETERS_OUT, CrosswalkShapes::pixAnswer),
				Map.entry(PDQM_PATIENT, CrosswalkShapes::patient),
				Map.entry(PDQM_MATCH_AUDIT_SUPPLIER, CrosswalkShapes::match),
				Map.entry(PDQM_MATCH_PARAMETERS_OUT, CrosswalkShapes::matchAnswer));
	}

	@Test
	void everyTranscriptionIsOursAndNamesWhatItTranscribes() {
		List<StructureDefinition> definitions = IheProfiles.structureDefinitions();
		assertThat(definitions).hasSize(IheProfile.values().length + 1);
		for (IheProfile profile : IheProfile.values()) {
			StructureDefinition definition = definitions.get(profile.ordinal());
			assertThat(definition.getUrl()).isEqualTo(profile.url()).startsWith(IheProfile.BASE);
			assertThat(definition.getBaseDefinition()).isEqualTo(profile.baseDefinition());
			assertThat(definition.getDescription()).startsWith("Transcribes " + profile.transcribes() + ".");
			assertThat(definition.getSnapshot().getElement()).isEmpty();
		}
		assertThat(BALP_PATIENT_READ.url())
			.isEqualTo("https://crosswalk.health/conformance/StructureDefinition/balp-patient-read");
		assertThat(BALP_PATIENT_READ.iheUrl())
			.isEqualTo("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");
		assertThat(IheProfiles.valueSets()).allSatisfy((valueSet) -> {
			assertThat(valueSet.getUrl()).startsWith(IheProfile.BASE);
			assertThat(valueSet.getDescription()).startsWith("Transcribes IHE BALP 1.1.4 ");
		});
	}

	@Test
	void whatCrosswalkEmitsConformsToEveryProfile() {
		assertThat(wellFormed()).containsOnlyKeys(IheProfile.values());
		for (IheProfile profile : IheProfile.values()) {
			assertThat(validator.errors(wellFormed().get(profile).get(), profile)).as(profile.toString()).isEmpty();
			if (validator.hasIhePackages()) {
				// With -Dcrosswalk.conformance.ihe-packages: IHE's own profile too.
				assertThat(validator.iheErrors(wellFormed().get(profile).get(), profile)).as(profile.iheUrl())
					.isEmpty();
			}
		}
	}

	@Test
	void everyRestEventCarriesCrosswalksAgentRoles() {
		for (IheProfile profile : IheProfile.values()) {
			if (profile.type().equals("AuditEvent")) {
				assertThat(validator.errors(wellFormed().get(profile).get(), profile.url(), IheProfiles.AUDIT_ROLES))
					.as(profile.toString())
					.isEmpty();
			}
		}
	}

	@Test
	void codesFromSystemsTheValidatorDoesNotKnowAreNoErrors() {
		// urn:crosswalk:*, urn:ihe:event-type-code, DICOM and BALP's entity types are all
		// in the PIXm example; an extra subtype of our own changes nothing.
		AuditEvent event = CrosswalkShapes.pix();
		event.addSubtype(new Coding("urn:crosswalk:unheard-of", "x", null));
		event.getAgentFirstRep().addRole().addCoding(new Coding("urn:crosswalk:role", "no-such-role", null));
		assertThat(validator.errors(event, PIXM_QUERY_AUDIT_MANAGER)).isEmpty();
	}

	@Test
	void vreadAndPatchFillTheSlicesBoundToTheirValueSets() {
		assertThat(validator.errors(CrosswalkShapes.read("vread", true), BALP_PATIENT_READ)).isEmpty();
		assertThat(validator.errors(CrosswalkShapes.update("patch", true), BALP_PATIENT_UPDATE)).isEmpty();
		AuditEvent searchSystem = CrosswalkShapes.search(true);
		searchSystem.getSubtypeFirstRep().setCode("search-system");
		assertThat(validator.errors(searchSystem, BALP_PATIENT_QUERY)).isEmpty();
	}

	@Test
	void aReadWithReversedRolesIsCaughtByCrosswalksRuleNotByBalp() {
		AuditEvent event = CrosswalkShapes.read("read", true);
		client(event).setType(new CodeableConcept(CrosswalkShapes.SOURCE_ROLE));
		server(event).setType(new CodeableConcept(CrosswalkShapes.DESTINATION_ROLE));
		// BALP's agent slices are told apart by type alone: the hospital now fills the
		// server slice and Crosswalk the client slice, and both are complete.
		assertThat(validator.errors(event, BALP_PATIENT_READ)).isEmpty();
		assertThat(validator.errors(event, BALP_PATIENT_READ.url(), IheProfiles.AUDIT_ROLES))
			.anyMatch((error) -> error.contains("cw-audit-server-role"))
			.anyMatch((error) -> error.contains("cw-audit-client-role"));
	}

	@Test
	void aReadMustReadAndSucceed() {
		AuditEvent search = CrosswalkShapes.read("read", false);
		search.getSubtypeFirstRep().setCode("search-type");
		assertFails(search, BALP_READ, "AuditEvent.subtype:anyRead");
		AuditEvent failed = CrosswalkShapes.read("read", false);
		failed.setOutcome(AuditEventOutcome._4);
		assertFails(failed, BALP_READ, "AuditEvent.outcome");
		AuditEvent written = CrosswalkShapes.read("read", false);
		written.setAction(AuditEventAction.U);
		assertFails(written, BALP_READ, "AuditEvent.action");
	}

	@Test
	void aPatientReadNeedsItsDataEntity() {
		AuditEvent event = CrosswalkShapes.read("read", true);
		event.getEntity().removeIf((entity) -> "Domain Resource".equals(entity.getRole().getDisplay()));
		assertFails(event, BALP_PATIENT_READ, "AuditEvent.entity:data");
	}

	@Test
	void aPatientReadNeedsItsPatientEntity() {
		AuditEvent event = CrosswalkShapes.read("read", false);
		assertFails(event, BALP_PATIENT_READ, "AuditEvent.entity:patient");
	}

	@Test
	void aUserIsNoNetworkDevice() {
		AuditEvent event = CrosswalkShapes.read("read", true);
		user(event).getNetwork().setAddress("10.0.0.9").setType(AuditEvent.AuditEventAgentNetworkType._2);
		assertFails(event, BALP_PATIENT_READ, "network");
	}

	@Test
	void aCreateIsRecordedAsACreate() {
		AuditEvent event = CrosswalkShapes.create(false);
		event.getSubtypeFirstRep().setCode("update");
		assertFails(event, BALP_CREATE, "AuditEvent.subtype:anyCreate");
		AuditEvent passive = CrosswalkShapes.create(false);
		user(passive).setRequestor(false);
		assertFails(passive, BALP_CREATE, "AuditEvent.agent[2].requestor");
	}

	@Test
	void aPatientCreateNamesThePatient() {
		AuditEvent event = CrosswalkShapes.create(true);
		patientEntity(event).getRole().setCode("4");
		assertFails(event, BALP_PATIENT_CREATE, "AuditEvent.entity:patient");
	}

	@Test
	void anUpdateIsRecordedAsAnUpdate() {
		AuditEvent event = CrosswalkShapes.update("update", false);
		event.setAction(AuditEventAction.C);
		assertFails(event, BALP_UPDATE, "AuditEvent.action");
		AuditEvent roleless = CrosswalkShapes.update("update", false);
		roleless.getEntity().get(0).setRole(null);
		assertFails(roleless, BALP_UPDATE, "AuditEvent.entity");
	}

	@Test
	void aPatientUpdatesPatientIsAPatient() {
		AuditEvent event = CrosswalkShapes.update("patch", true);
		patientEntity(event).setWhat(new Reference("Group/g-1"));
		assertFails(event, BALP_PATIENT_UPDATE, "Group");
	}

	@Test
	void aDeleteIsByAnApplicationAtTheCustodian() {
		AuditEvent event = CrosswalkShapes.delete(false);
		client(event).setType(new CodeableConcept(CrosswalkShapes.SOURCE_ROLE));
		server(event).setType(new CodeableConcept(CrosswalkShapes.DESTINATION_ROLE));
		assertFails(event, BALP_DELETE, "AuditEvent.agent:client", "AuditEvent.agent:server");
	}

	@Test
	void aPatientDeleteNamesThePatient() {
		assertFails(CrosswalkShapes.delete(false), BALP_PATIENT_DELETE, "AuditEvent.entity:patient");
	}

	@Test
	void aQueryNeedsItsQueryEntity() {
		AuditEvent event = CrosswalkShapes.search(false);
		event.getEntity().removeIf(AuditEventEntityComponent::hasQuery);
		assertFails(event, BALP_QUERY, "AuditEvent.entity:query");
		AuditEvent noRaw = CrosswalkShapes.search(false);
		queryEntity(noRaw).setQueryElement(null);
		assertFails(noRaw, BALP_QUERY, "query");
	}

	@Test
	void aQueryRecordsNoDataEntity() {
		// BALP tells entities apart by type alone: a resource found (audit-entity-type#2)
		// falls into the query slice.
		AuditEvent event = CrosswalkShapes.search(true);
		event.addEntity()
			.setWhat(new Reference("Observation/o-1"))
			.setType(new Coding(IheProfiles.ENTITY_TYPE, "2", "System Object"))
			.setRole(new Coding(IheProfiles.OBJECT_ROLE, "4", "Domain Resource"));
		assertFails(event, BALP_PATIENT_QUERY, "AuditEvent.entity:query: max allowed = 1",
				"AuditEvent.entity:query.what");
	}

	@Test
	void aPatientQueryNamesThePatient() {
		assertFails(CrosswalkShapes.search(false), BALP_PATIENT_QUERY, "AuditEvent.entity:patient");
	}

	@Test
	void aPixManagerAuditNamesIti83() {
		AuditEvent event = CrosswalkShapes.pix();
		event.getSubtype().removeIf((subtype) -> "ITI-83".equals(subtype.getCode()));
		assertFails(event, PIXM_QUERY_AUDIT_MANAGER, "AuditEvent.subtype:iti83");
	}

	@Test
	void aPixManagerAuditNamesThePatientsIdentifier() {
		AuditEvent event = CrosswalkShapes.pix();
		patientEntity(event).getWhat().setIdentifier(null);
		assertFails(event, PIXM_QUERY_AUDIT_MANAGER, "identifier");
	}

	@Test
	void aPixManagerIsTheAuditSource() {
		AuditEvent event = CrosswalkShapes.pix();
		server(event).setWho(new Reference()
			.setIdentifier(new Identifier().setSystem("urn:crosswalk:server").setValue("crosswalk-2")));
		assertFails(event, PIXM_QUERY_AUDIT_MANAGER, "val-audit-source");
	}

	@Test
	void aMatchSupplierAuditNamesIti119AndIsTheAuditSource() {
		AuditEvent event = CrosswalkShapes.match();
		event.getSubtype().removeIf((subtype) -> "ITI-119".equals(subtype.getCode()));
		assertFails(event, PDQM_MATCH_AUDIT_SUPPLIER, "AuditEvent.subtype:iti119");
		AuditEvent elsewhere = CrosswalkShapes.match();
		elsewhere.getSource().setObserver(new Reference().setDisplay("another server"));
		assertFails(elsewhere, PDQM_MATCH_AUDIT_SUPPLIER, "val-audit-source");
	}

	@Test
	void pixAnswersGiveSystemsAndPatientReferences() {
		Parameters systemless = CrosswalkShapes.pixAnswer();
		((Identifier) systemless.getParameterFirstRep().getValue()).setSystem(null);
		assertFails(systemless, PIXM_QUERY_PARAMETERS_OUT, "system");
		Parameters unreferenced = CrosswalkShapes.pixAnswer();
		unreferenced.getParameter().get(2).setValue(new Reference().setDisplay("Ada Okafor"));
		assertFails(unreferenced, PIXM_QUERY_PARAMETERS_OUT, "reference");
		Parameters nameless = CrosswalkShapes.pixAnswer();
		((Identifier) nameless.getParameterFirstRep().getValue()).getAssigner()
			.setDisplay(null)
			.setIdentifier(new Identifier().setSystem("urn:crosswalk:hospital").setValue("st-mary"));
		assertFails(nameless, PIXM_QUERY_PARAMETERS_OUT, "display");
		Parameters stringly = CrosswalkShapes.pixAnswer();
		stringly.getParameterFirstRep().setValue(new StringType("urn:oid:1.2.3.4.5|12345"));
		assertFails(stringly, PIXM_QUERY_PARAMETERS_OUT, "targetIdentifier");
	}

	@Test
	void matchEntriesAreScoredAndGraded() {
		Bundle unscored = CrosswalkShapes.matchAnswer();
		unscored.getEntryFirstRep().getSearch().setScoreElement(null);
		assertFails(unscored, PDQM_MATCH_PARAMETERS_OUT, "score");
		Bundle ungraded = CrosswalkShapes.matchAnswer();
		ungraded.getEntryFirstRep().getSearch().getExtension().clear();
		assertFails(ungraded, PDQM_MATCH_PARAMETERS_OUT, "MatchGrade");
		Bundle included = CrosswalkShapes.matchAnswer();
		included.getEntryFirstRep().getSearch().setMode(SearchEntryMode.INCLUDE);
		assertFails(included, PDQM_MATCH_PARAMETERS_OUT, "mode");
	}

	@Test
	void matchAnswersHoldOnlyPdqmPatientsAndOutcomes() {
		Bundle observation = CrosswalkShapes.matchAnswer();
		Observation heartRate = new Observation().setStatus(Observation.ObservationStatus.FINAL)
			.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", null)));
		heartRate.setId("o-7");
		observation.addEntry().setFullUrl("https://crosswalk.example/fhir/Observation/o-7").setResource(heartRate);
		assertFails(observation, PDQM_MATCH_PARAMETERS_OUT, "Bundle.entry");
		Bundle anonymous = CrosswalkShapes.matchAnswer();
		((Patient) anonymous.getEntryFirstRep().getResource()).getIdentifier().clear();
		assertFails(anonymous, PDQM_MATCH_PARAMETERS_OUT, "identifier");
		Bundle unnamedOutcome = CrosswalkShapes.matchAnswer();
		unnamedOutcome.getEntry().get(1).setFullUrl(null);
		assertFails(unnamedOutcome, PDQM_MATCH_PARAMETERS_OUT, "fullUrl");
		Bundle collection = CrosswalkShapes.matchAnswer();
		collection.setType(Bundle.BundleType.COLLECTION);
		assertFails(collection, PDQM_MATCH_PARAMETERS_OUT, "Bundle.type");
	}

	@Test
	void aPdqmPatientWithLinksSaysWhetherItIsActive() {
		Patient patient = CrosswalkShapes.patient();
		patient.addLink().setOther(new Reference("Patient/p-43")).setType(LinkType.SEEALSO);
		assertThat(validator.errors(patient, PDQM_PATIENT)).isEmpty();
		patient.setActiveElement(null);
		assertFails(patient, PDQM_PATIENT, "iti-pdqm-linkstatus");
	}

	@Test
	void aPdqmPatientHasIdentifiersAndAUsableName() {
		Patient systemless = CrosswalkShapes.patient();
		systemless.getIdentifierFirstRep().setSystem(null);
		assertFails(systemless, PDQM_PATIENT, "system");
		Patient unnamed = CrosswalkShapes.patient();
		unnamed.getNameFirstRep().setFamily(null).getGiven().clear();
		unnamed.getNameFirstRep().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL);
		assertFails(unnamed, PDQM_PATIENT, "iti-pdqm-patname");
		Patient modified = CrosswalkShapes.patient();
		modified.addModifierExtension(new Extension("urn:crosswalk:ext:unsafe", new CodeType("x")));
		assertFails(modified, PDQM_PATIENT, "modifierExtension");
	}

	@Test
	void ihePackagesAreUsedOnlyWhenNamed() {
		boolean named = System.getProperty(ConformanceValidator.IHE_PACKAGES_PROPERTY) != null;
		assertThat(validator.hasIhePackages()).isEqualTo(named);
		if (!named) {
			assertThatIllegalStateException()
				.isThrownBy(() -> validator.iheErrors(CrosswalkShapes.patient(), PDQM_PATIENT));
		}
	}

	private static void assertFails(IBaseResource resource, IheProfile profile, String... expected) {
		List<String> errors = validator.errors(resource, profile);
		assertThat(errors).as(profile.toString()).isNotEmpty();
		for (String text : expected) {
			assertThat(errors).as(profile + " errors mentioning " + text).anyMatch((error) -> error.contains(text));
		}
	}

	private static AuditEventAgentComponent client(AuditEvent event) {
		return event.getAgent().get(0);
	}

	private static AuditEventAgentComponent server(AuditEvent event) {
		return event.getAgent().get(1);
	}

	private static AuditEventAgentComponent user(AuditEvent event) {
		return event.getAgent()
			.stream()
			.filter((agent) -> agent.getWho().getIdentifier().getSystem() != null
					&& agent.getWho().getIdentifier().getSystem().equals("urn:crosswalk:user"))
			.findFirst()
			.orElseThrow();
	}

	private static AuditEventEntityComponent patientEntity(AuditEvent event) {
		return event.getEntity()
			.stream()
			.filter((entity) -> "1".equals(entity.getType().getCode()))
			.findFirst()
			.orElseThrow();
	}

	private static AuditEventEntityComponent queryEntity(AuditEvent event) {
		return event.getEntity().stream().filter(AuditEventEntityComponent::hasQuery).findFirst().orElseThrow();
	}

}
