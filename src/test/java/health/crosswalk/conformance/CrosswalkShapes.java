package health.crosswalk.conformance;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

import static health.crosswalk.conformance.IheProfiles.AUDIT_EVENT_TYPE;
import static health.crosswalk.conformance.IheProfiles.BALP_ENTITY_TYPE;
import static health.crosswalk.conformance.IheProfiles.DCM;
import static health.crosswalk.conformance.IheProfiles.ENTITY_TYPE;
import static health.crosswalk.conformance.IheProfiles.IHE_EVENT_TYPE;
import static health.crosswalk.conformance.IheProfiles.OBJECT_ROLE;
import static health.crosswalk.conformance.IheProfiles.PARTICIPATION;
import static health.crosswalk.conformance.IheProfiles.PROVENANCE_PARTICIPANT;
import static health.crosswalk.conformance.IheProfiles.RESTFUL_INTERACTION;

/**
 * Resources shaped as Crosswalk emits them: AuditEvents per interaction, and the answers
 * of {@code $ihe-pix} and {@code $match}. Each call builds a fresh resource that a test
 * may then break.
 */
final class CrosswalkShapes {

	static final String SERVER_ID = "crosswalk-1";

	static final String HOSPITAL = "st-mary";

	static final String PATIENT = "Patient/p-42";

	static final String MRN_SYSTEM = "urn:oid:1.2.3.4.5";

	static final Coding SOURCE_ROLE = new Coding(DCM, "110153", "Source Role ID");

	static final Coding DESTINATION_ROLE = new Coding(DCM, "110152", "Destination Role ID");

	static final Coding APPLICATION = new Coding(DCM, "110150", "Application");

	static final Coding CUSTODIAN = new Coding(PROVENANCE_PARTICIPANT, "custodian", "Custodian");

	private CrosswalkShapes() {
	}

	/**
	 * A read or vread of an Observation about {@link #PATIENT}, by a hospital's token
	 * user, with the record's custodian.
	 * @param interaction {@code read} or {@code vread}
	 * @param patient whether the patient entity is recorded
	 * @return the event
	 */
	static AuditEvent read(String interaction, boolean patient) {
		AuditEvent event = event(AuditEventAction.R, interaction);
		client(event, DESTINATION_ROLE);
		server(event, SOURCE_ROLE, "2");
		user(event, "IRCP");
		custodian(event, "st-luke");
		if (patient) {
			patient(event, false);
		}
		data(event, "Observation/o-7/_history/3");
		transaction(event);
		return event;
	}

	/**
	 * A create.
	 * @param patient whether the patient entity is recorded
	 * @return the event
	 */
	static AuditEvent create(boolean patient) {
		return write(AuditEventAction.C, "create", SOURCE_ROLE, DESTINATION_ROLE, patient);
	}

	/**
	 * An update or patch.
	 * @param interaction {@code update} or {@code patch}
	 * @param patient whether the patient entity is recorded
	 * @return the event
	 */
	static AuditEvent update(String interaction, boolean patient) {
		return write(AuditEventAction.U, interaction, SOURCE_ROLE, DESTINATION_ROLE, patient);
	}

	/**
	 * A delete.
	 * @param patient whether the patient entity is recorded
	 * @return the event
	 */
	static AuditEvent delete(boolean patient) {
		return write(AuditEventAction.D, "delete", APPLICATION, CUSTODIAN, patient);
	}

	/**
	 * A search.
	 * @param patient whether the patient entity is recorded
	 * @return the event
	 */
	static AuditEvent search(boolean patient) {
		AuditEvent event = event(AuditEventAction.E, "search-type");
		client(event, SOURCE_ROLE);
		server(event, DESTINATION_ROLE, "1");
		user(event, "IRCP");
		custodian(event, HOSPITAL);
		if (patient) {
			patient(event, false);
		}
		query(event, "GET Observation?patient=p-42&code=8867-4");
		transaction(event);
		return event;
	}

	/**
	 * An {@code $ihe-pix} query, as the PIXm Manager records it.
	 * @return the event
	 */
	static AuditEvent pix() {
		AuditEvent event = event(AuditEventAction.E, "search");
		event.addSubtype(new Coding("urn:crosswalk:operation", "$ihe-pix", null));
		event.addSubtype(new Coding(IHE_EVENT_TYPE, "ITI-83", "Mobile Patient Identifier Cross-reference Query"));
		client(event, SOURCE_ROLE);
		server(event, DESTINATION_ROLE, "1");
		patient(event, true);
		query(event, "GET Patient/$ihe-pix?sourceIdentifier=" + MRN_SYSTEM + "|12345");
		transaction(event);
		return event;
	}

	/**
	 * A {@code $match}, as the PDQm Supplier records it.
	 * @return the event
	 */
	static AuditEvent match() {
		AuditEvent event = event(AuditEventAction.E, "search");
		event.addSubtype(new Coding("urn:crosswalk:operation", "$match", null));
		event.addSubtype(new Coding(IHE_EVENT_TYPE, "ITI-119", "Patient Demographics Match"));
		client(event, SOURCE_ROLE);
		server(event, DESTINATION_ROLE, "1");
		user(event, "IRCP");
		query(event, "POST Patient/$match");
		transaction(event);
		return event;
	}

	/**
	 * What {@code $ihe-pix} answers: two identifiers and the patient they resolve to.
	 * @return the parameters
	 */
	static Parameters pixAnswer() {
		Parameters parameters = new Parameters();
		parameters.addParameter()
			.setName("targetIdentifier")
			.setValue(new Identifier().setSystem(MRN_SYSTEM)
				.setValue("12345")
				.setAssigner(new Reference().setDisplay("St Mary's")));
		parameters.addParameter()
			.setName("targetIdentifier")
			.setValue(new Identifier().setSystem("urn:oid:1.2.3.4.6").setValue("A-998"));
		parameters.addParameter().setName("targetId").setValue(new Reference(PATIENT));
		return parameters;
	}

	/**
	 * What {@code $match} answers: one graded patient and an outcome.
	 * @return the bundle
	 */
	static Bundle matchAnswer() {
		Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
		bundle.setTotal(1);
		Bundle.BundleEntryComponent entry = bundle.addEntry()
			.setFullUrl("https://crosswalk.example/fhir/" + PATIENT)
			.setResource(patient());
		entry.getSearch().setMode(SearchEntryMode.MATCH).setScore(new BigDecimal("0.93"));
		entry.getSearch().addExtension("http://hl7.org/fhir/StructureDefinition/match-grade", new CodeType("probable"));
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
			.setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
			.setCode(OperationOutcome.IssueType.INFORMATIONAL)
			.setDiagnostics("1 candidate scored below the threshold");
		bundle.addEntry()
			.setFullUrl("urn:uuid:6f1c2a9e-3b7d-4e58-8c21-0d9a4b5e7f13")
			.setResource(outcome)
			.getSearch()
			.setMode(SearchEntryMode.OUTCOME);
		return bundle;
	}

	/**
	 * A patient as Crosswalk returns it.
	 * @return the patient
	 */
	static Patient patient() {
		Patient patient = new Patient();
		patient.setId("p-42");
		patient.addIdentifier().setSystem(MRN_SYSTEM).setValue("12345");
		patient.setActive(true);
		patient.addName().setFamily("Okafor").addGiven("Ada");
		patient.setGender(AdministrativeGender.FEMALE);
		patient.getBirthDateElement().setValueAsString("1984-03-02");
		return patient;
	}

	private static AuditEvent write(AuditEventAction action, String interaction, Coding clientRole, Coding serverRole,
			boolean patient) {
		AuditEvent event = event(action, interaction);
		client(event, clientRole);
		server(event, serverRole, "2");
		user(event, "AUT");
		if (patient) {
			patient(event, false);
		}
		data(event, "Observation/o-7/_history/1");
		transaction(event);
		return event;
	}

	private static AuditEvent event(AuditEventAction action, String interaction) {
		AuditEvent event = new AuditEvent();
		event.setId("0b8f7c3e-5d2a-4c43-9a55-3f2b6c1d9e01");
		event.setType(new Coding(AUDIT_EVENT_TYPE, "rest", "Restful Operation"));
		event.addSubtype(new Coding(RESTFUL_INTERACTION, interaction, null));
		event.setAction(action);
		event.setRecorded(new Date(1_767_225_600_000L));
		event.setOutcome(AuditEventOutcome._0);
		event.getSource()
			.setSite("crosswalk")
			.setObserver(server())
			.addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
					"Application Server"));
		return event;
	}

	/** Crosswalk itself, as the audit source and the server agent name it. */
	static Reference server() {
		return new Reference().setIdentifier(new Identifier().setSystem("urn:crosswalk:server").setValue(SERVER_ID))
			.setDisplay(SERVER_ID);
	}

	private static Reference hospital(String slug) {
		return new Reference("Organization/org-" + slug)
			.setIdentifier(new Identifier().setSystem("urn:crosswalk:hospital").setValue(slug))
			.setDisplay(slug);
	}

	private static void client(AuditEvent event, Coding role) {
		AuditEventAgentComponent client = event.addAgent()
			.setType(new CodeableConcept(role))
			.setWho(hospital(HOSPITAL))
			.setName(HOSPITAL)
			.setRequestor(true);
		client.addRole().addCoding(new Coding("urn:crosswalk:role", "clinician", null));
		client.getNetwork().setAddress("127.0.0.1").setType(AuditEventAgentNetworkType._2);
	}

	private static void server(AuditEvent event, Coding role, String networkType) {
		AuditEventAgentComponent server = event.addAgent()
			.setType(new CodeableConcept(role))
			.setWho(server())
			.setRequestor(false);
		server.getNetwork().setAddress("crosswalk.example").setType(AuditEventAgentNetworkType.fromCode(networkType));
	}

	private static void user(AuditEvent event, String participation) {
		event.addAgent()
			.setType(new CodeableConcept(new Coding(PARTICIPATION, participation, null)))
			.setWho(new Reference().setIdentifier(new Identifier().setSystem("urn:crosswalk:user").setValue("u-17")))
			.setRequestor(true);
	}

	private static void custodian(AuditEvent event, String slug) {
		event.addAgent()
			.setType(new CodeableConcept(new Coding(PARTICIPATION, "CST", "custodian")))
			.setWho(hospital(slug))
			.setRequestor(false);
	}

	private static void patient(AuditEvent event, boolean identifier) {
		Reference what = new Reference(PATIENT);
		if (identifier) {
			what.setIdentifier(new Identifier().setSystem(MRN_SYSTEM).setValue("12345"));
		}
		event.addEntity()
			.setWhat(what)
			.setType(new Coding(ENTITY_TYPE, "1", "Person"))
			.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
	}

	private static void data(AuditEvent event, String reference) {
		event.addEntity()
			.setWhat(new Reference(reference))
			.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
			.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
	}

	private static void query(AuditEvent event, String request) {
		event.addEntity()
			.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
			.setRole(new Coding(OBJECT_ROLE, "24", "Query"))
			.setQuery(request.getBytes(StandardCharsets.UTF_8))
			.setDescription(request);
	}

	private static void transaction(AuditEvent event) {
		event.addEntity()
			.setWhat(new Reference().setIdentifier(new Identifier().setValue("req-7f3a")))
			.setType(new Coding(BALP_ENTITY_TYPE, "XrequestId", "X-Request-Id"));
	}

}
