package health.crosswalk.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import health.crosswalk.conformance.Differential.Element;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ElementDefinition.AggregationMode;
import org.hl7.fhir.r4.model.ElementDefinition.DiscriminatorType;
import org.hl7.fhir.r4.model.ElementDefinition.SlicingRules;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;

import static health.crosswalk.conformance.Differential.coding;
import static health.crosswalk.conformance.Differential.concept;

/**
 * Our transcriptions of the IHE profiles in {@link IheProfile}: differential
 * StructureDefinitions, and the few value sets they bind, built in memory under
 * {@link IheProfile#BASE}.
 *
 * <p>
 * IHE's packages cannot be fetched where Crosswalk is built, and their files are not ours
 * to commit, so the constraints are restated here from IHE's published FSH: slices,
 * cardinalities, patterns, bindings and invariants (FHIRPath expressions and codes as IHE
 * wrote them). Descriptions are our own; documentation-only rules (short names, comments)
 * are left out, must-support flags are kept.
 */
final class IheProfiles {

	static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";

	static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";

	static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

	static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

	static final String PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

	static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";

	static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

	static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";

	static final String IHE_EVENT_TYPE = "urn:ihe:event-type-code";

	/** restful-interaction read and vread (IHE BALP AllReadVS). */
	static final String ALL_READ_VS = IheProfile.BASE + "ValueSet/balp-all-read";

	/** restful-interaction update and patch (IHE BALP AllUpdateVS). */
	static final String ALL_UPDATE_VS = IheProfile.BASE + "ValueSet/balp-all-update";

	/**
	 * restful-interaction search, search-type and search-system (IHE BALP AllSearchVS).
	 */
	static final String ALL_SEARCH_VS = IheProfile.BASE + "ValueSet/balp-all-search";

	/** The object roles a RESTful resource may play (IHE BALP RestObjectRoles). */
	static final String REST_OBJECT_ROLES = IheProfile.BASE + "ValueSet/balp-rest-object-roles";

	/** The participation types of a user who writes (IHE BALP DataSources). */
	static final String DATA_SOURCES = IheProfile.BASE + "ValueSet/balp-data-sources";

	/**
	 * Crosswalk's own rule on agent roles ({@link #auditRoles()}), not a transcription.
	 */
	static final String AUDIT_ROLES = IheProfile.BASE + "StructureDefinition/crosswalk-audit-roles";

	private static final String AUDIT_SOURCE_KEY = "val-audit-source";

	private static final String AUDIT_SOURCE_EXPRESSION = "$this.who = %resource.source.observer";

	private IheProfiles() {
	}

	/**
	 * Every transcribed profile, parents before the profiles derived from them, then
	 * {@link #AUDIT_ROLES}.
	 * @return one StructureDefinition per {@link IheProfile} and our own, differential
	 * only
	 */
	static List<StructureDefinition> structureDefinitions() {
		List<StructureDefinition> all = new ArrayList<>();
		for (IheProfile profile : IheProfile.values()) {
			all.add(build(profile));
		}
		all.add(auditRoles());
		return all;
	}

	/**
	 * Crosswalk's own rule, not IHE's, for its REST AuditEvents: the requestor is coded
	 * as BALP's client and Crosswalk itself (the agent that is the audit source) as
	 * BALP's server, for the event's action.
	 *
	 * <p>
	 * BALP tells its client and server slices apart by agent type alone, so an event
	 * whose two roles are swapped still fills both slices and conforms. PIXm and PDQm
	 * close that gap for their own transactions by requiring the server to be the audit
	 * source ({@code val-audit-source}); this profile does the same for every BALP
	 * action.
	 * @return the profile, differential only
	 */
	static StructureDefinition auditRoles() {
		Differential d = Differential.of(AUDIT_ROLES.substring(AUDIT_ROLES.lastIndexOf('/') + 1), "AuditEvent",
				"http://hl7.org/fhir/StructureDefinition/AuditEvent", "Crosswalk audit agent roles",
				"Crosswalk's own rule, not a transcription: in a RESTful AuditEvent recorded by Crosswalk, the agent "
						+ "that is the audit source carries BALP's server type for the action (110153 for reads, "
						+ "custodian for deletes, 110152 otherwise) and a requestor carries BALP's client type "
						+ "(110152 for reads, 110150 for deletes, 110153 otherwise).");
		d.at("AuditEvent")
			.constraint("cw-audit-server-role",
					"Crosswalk, the audit source, is the agent in BALP's server role for this action.",
					"agent.where(who = %resource.source.observer).type.coding.where(iif(%resource.action = 'D', "
							+ "system = '" + PROVENANCE_PARTICIPANT + "' and code = 'custodian', system = '" + DCM
							+ "' and code = iif(%resource.action = 'R', '110153', '110152'))).exists()")
			.constraint("cw-audit-client-role", "A requestor is the agent in BALP's client role for this action.",
					"agent.where(requestor = true).type.coding.where(system = '" + DCM
							+ "' and code = iif(%resource.action = 'R', '110152', "
							+ "iif(%resource.action = 'D', '110150', '110153'))).exists()");
		return d.build();
	}

	/**
	 * The value sets the transcribed profiles bind, each an enumeration of codes.
	 * @return the value sets
	 */
	static List<ValueSet> valueSets() {
		return List.of(
				valueSet(ALL_READ_VS, "AllReadVS", "The RESTful interactions that read one resource.",
						RESTFUL_INTERACTION, "read", "vread"),
				valueSet(ALL_UPDATE_VS, "AllUpdateVS", "The RESTful interactions that change an existing resource.",
						RESTFUL_INTERACTION, "update", "patch"),
				valueSet(ALL_SEARCH_VS, "AllSearchVS", "The RESTful interactions that search.", RESTFUL_INTERACTION,
						"search", "search-type", "search-system"),
				valueSet(REST_OBJECT_ROLES, "RestObjectRoles",
						"The roles a resource touched by a RESTful interaction may play in the audited event.",
						OBJECT_ROLE, "4", "3", "20"),
				valueSet(DATA_SOURCES, "DataSources",
						"The participation types of the person who creates, changes or deletes data.", PARTICIPATION,
						"AUT", "INF", "CST"));
	}

	static StructureDefinition build(IheProfile profile) {
		return switch (profile) {
			case BALP_CREATE -> balp(profile, "A successful RESTful create of a resource that concerns no patient.",
					"anyCreate", (subtype) -> subtype.pattern(coding(RESTFUL_INTERACTION, "create")), "C", Roles.WRITE,
					Entity.DATA_WITH_ROLE);
			case BALP_READ ->
				balp(profile, "A successful RESTful read or vread of a resource that concerns no patient.", "anyRead",
						(subtype) -> subtype.required(ALL_READ_VS), "R", Roles.READ, Entity.DATA);
			case BALP_UPDATE -> balp(profile,
					"A successful RESTful update or patch of a resource that concerns no patient.", "anyUpdate",
					(subtype) -> subtype.required(ALL_UPDATE_VS), "U", Roles.WRITE, Entity.DATA_WITH_ROLE);
			case BALP_DELETE -> balp(profile, "A successful RESTful delete of a resource that concerns no patient.",
					"anyDelete", (subtype) -> subtype.pattern(coding(RESTFUL_INTERACTION, "delete")), "D", Roles.DELETE,
					Entity.DATA_WITH_ROLE);
			case BALP_QUERY -> balp(profile,
					"A successful RESTful search whose request names no patient; the raw request is kept base64 "
							+ "encoded in the query entity.",
					"anySearch", (subtype) -> subtype.required(ALL_SEARCH_VS), "E", Roles.QUERY, Entity.QUERY);
			case BALP_PATIENT_CREATE ->
				patient(profile, "The create of a resource that concerns a known patient.", 2, true);
			case BALP_PATIENT_READ ->
				patient(profile, "The read or vread of a resource that concerns a known patient.", 2, false);
			case BALP_PATIENT_UPDATE ->
				patient(profile, "The update or patch of a resource that concerns a known patient.", 2, false);
			case BALP_PATIENT_DELETE ->
				patient(profile, "The delete of a resource that concerns a known patient.", 2, true);
			case BALP_PATIENT_QUERY ->
				patient(profile, "A search about a known patient; one record per patient found.", 1, true);
			case PIXM_QUERY_AUDIT_MANAGER -> pixmManagerAudit(profile);
			case PIXM_QUERY_PARAMETERS_OUT -> pixmParametersOut(profile);
			case PDQM_PATIENT -> pdqmPatient(profile);
			case PDQM_MATCH_AUDIT_SUPPLIER -> pdqmMatchAudit(profile);
			case PDQM_MATCH_PARAMETERS_OUT -> pdqmMatchOut(profile);
		};
	}

	/**
	 * The agent types of BALP's client and server, and how its user's type is set.
	 */
	private enum Roles {

		/** Data flows to the client: the client is the destination. */
		READ(concept(DCM, "110152"), concept(DCM, "110153"), false),

		/** Data flows to the server: the client is the source. */
		WRITE(concept(DCM, "110153"), concept(DCM, "110152"), true),

		/** The client is an application, the server the data's custodian. */
		DELETE(concept(DCM, "110150"), concept(PROVENANCE_PARTICIPANT, "custodian"), true),

		/** The query flows to the server: the client is the source. */
		QUERY(concept(DCM, "110153"), concept(DCM, "110152"), false);

		private final CodeableConcept client;

		private final CodeableConcept server;

		private final boolean userFromDataSources;

		Roles(CodeableConcept client, CodeableConcept server, boolean userFromDataSources) {
			this.client = client;
			this.server = server;
			this.userFromDataSources = userFromDataSources;
		}

	}

	/**
	 * The entity besides the transaction that a BALP profile requires.
	 */
	private enum Entity {

		/** A resource, role from RestObjectRoles when given. */
		DATA,

		/** A resource whose role must be given, from RestObjectRoles. */
		DATA_WITH_ROLE,

		/** The search request. */
		QUERY

	}

	private static StructureDefinition balp(IheProfile profile, String description, String subtypeSlice,
			Consumer<Element> subtypeRule, String action, Roles roles, Entity entity) {
		Differential d = Differential.of(profile, description);
		d.at("AuditEvent.type").pattern(coding(AUDIT_EVENT_TYPE, "rest"));
		d.slicedByValue("AuditEvent.subtype", "$this").min(1);
		subtypeRule.accept(d.at("AuditEvent.subtype:" + subtypeSlice).exactlyOne());
		d.at("AuditEvent.action").pattern(action);
		d.at("AuditEvent.recorded").exactlyOne();
		// IHE assigns audit-event-outcome#0; on a code element only the code is kept.
		d.at("AuditEvent.outcome").min(1).pattern("0");

		d.slicedByValue("AuditEvent.agent", "type").min(2);
		d.at("AuditEvent.agent:client").exactlyOne();
		d.at("AuditEvent.agent:server").exactlyOne();
		d.at("AuditEvent.agent:user").card(0, "1");
		machine(d, "client", roles.client);
		machine(d, "server", roles.server);
		Element userType = d.at("AuditEvent.agent:user.type").exactlyOne();
		if (roles.userFromDataSources) {
			userType.required(DATA_SOURCES);
		}
		else {
			userType.pattern(concept(PARTICIPATION, "IRCP"));
		}
		d.at("AuditEvent.agent:user.role").mustSupport();
		d.at("AuditEvent.agent:user.who").exactlyOne();
		d.at("AuditEvent.agent:user.name").mustSupport();
		d.at("AuditEvent.agent:user.requestor").pattern(true);
		d.at("AuditEvent.agent:user.media").prohibited();
		d.at("AuditEvent.agent:user.network").prohibited();
		d.at("AuditEvent.agent:user.purposeOfUse").mustSupport();
		d.at("AuditEvent.source").mustSupport();

		d.slicedByValue("AuditEvent.entity", "type").min(1);
		d.at("AuditEvent.entity:transaction").card(0, "1");
		String other = (entity == Entity.QUERY) ? "query" : "data";
		d.at("AuditEvent.entity:" + other).exactlyOne();
		d.at("AuditEvent.entity:transaction.what.identifier.value").exactlyOne().shortly("The X-Request-Id");
		d.at("AuditEvent.entity:transaction.type").exactlyOne().pattern(coding(BALP_ENTITY_TYPE, "XrequestId"));
		if (entity == Entity.QUERY) {
			d.at("AuditEvent.entity:query.what").prohibited();
			d.at("AuditEvent.entity:query.type").exactlyOne().pattern(coding(ENTITY_TYPE, "2"));
			d.at("AuditEvent.entity:query.role").min(1).pattern(coding(OBJECT_ROLE, "24"));
			d.at("AuditEvent.entity:query.lifecycle").prohibited();
			d.at("AuditEvent.entity:query.description").card(0, "1");
			d.at("AuditEvent.entity:query.query").exactlyOne();
			d.at("AuditEvent.entity:query.detail").prohibited();
		}
		else {
			d.at("AuditEvent.entity:data.what").exactlyOne();
			d.at("AuditEvent.entity:data.type").exactlyOne().pattern(coding(ENTITY_TYPE, "2"));
			Element role = d.at("AuditEvent.entity:data.role").required(REST_OBJECT_ROLES);
			if (entity == Entity.DATA_WITH_ROLE) {
				role.min(1);
			}
		}
		return d.build();
	}

	/** The rules BALP sets alike for its client and server agents. */
	private static void machine(Differential d, String slice, CodeableConcept type) {
		String id = "AuditEvent.agent:" + slice;
		d.at(id + ".type").exactlyOne().pattern(type);
		d.at(id + ".who").exactlyOne();
		d.at(id + ".media").prohibited();
		d.at(id + ".network").exactlyOne();
	}

	private static StructureDefinition patient(IheProfile profile, String description, int entities,
			boolean typeRequired) {
		Differential d = Differential.of(profile, description);
		d.at("AuditEvent.entity").min(entities);
		patientEntity(d, "AuditEvent.entity:patient", 1);
		if (typeRequired) {
			d.at("AuditEvent.entity:patient.type").exactlyOne();
		}
		return d.build();
	}

	/** BALP's patient entity: a Person in the Patient role, a Patient as what. */
	private static void patientEntity(Differential d, String id, int min) {
		d.at(id).card(min, "1");
		d.at(id + ".what").exactlyOne().reference(null, "Patient");
		d.at(id + ".type").pattern(coding(ENTITY_TYPE, "1"));
		d.at(id + ".role").min(1).pattern(coding(OBJECT_ROLE, "1"));
	}

	private static StructureDefinition pixmManagerAudit(IheProfile profile) {
		Differential d = Differential.of(profile,
				"The record an ITI-83 ($ihe-pix) query leaves at the Patient Identifier Cross-reference Manager, "
						+ "which is also the audit source.");
		d.at("AuditEvent.modifierExtension").prohibited();
		d.at("AuditEvent.subtype").min(2);
		d.at("AuditEvent.subtype:iti83").exactlyOne().pattern(coding(IHE_EVENT_TYPE, "ITI-83"));
		auditSource(d, "server");
		patientEntity(d, "AuditEvent.entity:patient", 1);
		d.at("AuditEvent.entity:patient.what.identifier").exactlyOne();
		return d.build();
	}

	private static StructureDefinition pdqmMatchAudit(IheProfile profile) {
		Differential d = Differential.of(profile,
				"The record an ITI-119 ($match) leaves at the Patient Demographics Supplier, which is also the audit "
						+ "source; a patient entity may name the patient the request was about.");
		d.at("AuditEvent.modifierExtension").prohibited();
		d.at("AuditEvent.subtype").min(2);
		d.at("AuditEvent.subtype:iti119").exactlyOne().pattern(coding(IHE_EVENT_TYPE, "ITI-119"));
		auditSource(d, "server");
		patientEntity(d, "AuditEvent.entity:patient", 0);
		return d.build();
	}

	/**
	 * PIXm's and PDQm's val-audit-source: this agent is the one that recorded the event.
	 */
	private static void auditSource(Differential d, String agent) {
		d.at("AuditEvent.agent:" + agent)
			.constraint(AUDIT_SOURCE_KEY, "This agent must be the audit source (source.observer).",
					AUDIT_SOURCE_EXPRESSION);
	}

	private static StructureDefinition pixmParametersOut(IheProfile profile) {
		Differential d = Differential.of(profile,
				"What an ITI-83 ($ihe-pix) query answers: the cross-referenced identifiers, each with system and "
						+ "value, and references to the matching Patient resources.");
		d.slicedByValue("Parameters.parameter", "name");
		d.at("Parameters.parameter:targetIdentifier").card(0, "*");
		d.at("Parameters.parameter:targetIdentifier.name").fixed("targetIdentifier");
		d.at("Parameters.parameter:targetIdentifier.value[x]").min(1).only("Identifier");
		d.at("Parameters.parameter:targetIdentifier.value[x].system").min(1);
		d.at("Parameters.parameter:targetIdentifier.value[x].value").min(1);
		d.at("Parameters.parameter:targetIdentifier.value[x].assigner").card(0, "1");
		d.at("Parameters.parameter:targetIdentifier.value[x].assigner.display").min(1);
		d.at("Parameters.parameter:targetId").card(0, "*");
		d.at("Parameters.parameter:targetId.name").fixed("targetId");
		d.at("Parameters.parameter:targetId.value[x]").min(1).reference(AggregationMode.REFERENCED, "Patient");
		d.at("Parameters.parameter:targetId.value[x].reference").min(1);
		return d.build();
	}

	private static StructureDefinition pdqmPatient(IheProfile profile) {
		Differential d = Differential.of(profile,
				"A patient as a Patient Demographics Supplier returns it: business identifiers with system and "
						+ "value, no modifier extensions or implicit rules, a usable name, and active stated "
						+ "whenever links are.");
		d.at("Patient")
			.constraint("iti-pdqm-linkstatus", "A patient with links states whether it is active.",
					"link.exists() implies active.exists()");
		d.at("Patient.implicitRules").prohibited();
		d.slicedByValue("Patient.extension", "url");
		d.at("Patient.extension:MothersMaidenName")
			.card(0, "1")
			.only("Extension", "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName");
		d.at("Patient.modifierExtension").prohibited();
		d.at("Patient.identifier").min(1);
		d.at("Patient.identifier.system").exactlyOne();
		d.at("Patient.identifier.value").exactlyOne();
		d.at("Patient.active").mustSupport().condition("iti-pdqm-linkstatus");
		d.at("Patient.name")
			.mustSupport()
			.constraint("iti-pdqm-patname",
					"A name has a family, given or text part, or else says why it is absent, not both.",
					"(family.exists() or given.exists() or text.exists()) xor "
							+ "extension.where(url='http://hl7.org/fhir/StructureDefinition/data-absent-reason').exists()");
		d.at("Patient.telecom").mustSupport();
		d.at("Patient.birthDate").mustSupport();
		d.at("Patient.address").mustSupport();
		d.at("Patient.link").mustSupport().condition("iti-pdqm-linkstatus");
		return d.build();
	}

	private static StructureDefinition pdqmMatchOut(IheProfile profile) {
		Differential d = Differential.of(profile,
				"What an ITI-119 ($match) answers: a searchset holding only PDQm patients, each scored and graded "
						+ "as a match, and operation outcomes.");
		d.at("Bundle.implicitRules").prohibited();
		d.at("Bundle.type").pattern("searchset");
		d.at("Bundle.entry").slicing(DiscriminatorType.TYPE, "resource", SlicingRules.CLOSED);
		d.at("Bundle.entry.request").prohibited();
		d.at("Bundle.entry.response").prohibited();
		String patient = "Bundle.entry:patient";
		d.at(patient).card(0, "*");
		d.at(patient + ".resource").min(1).only("Patient", IheProfile.PDQM_PATIENT.url());
		d.at(patient + ".search").exactlyOne();
		d.slicedByValue(patient + ".search.extension", "url");
		d.at(patient + ".search.extension:MatchGrade")
			.exactlyOne()
			.only("Extension", "http://hl7.org/fhir/StructureDefinition/match-grade");
		d.at(patient + ".search.mode").exactlyOne().pattern("match");
		d.at(patient + ".search.score").exactlyOne();
		d.at("Bundle.entry:operationOutcome").card(0, "*");
		d.at("Bundle.entry:operationOutcome.resource").min(1).only("OperationOutcome");
		return d.build();
	}

	private static ValueSet valueSet(String url, String iheName, String description, String system, String... codes) {
		ValueSet valueSet = new ValueSet();
		valueSet.setId(url.substring(url.lastIndexOf('/') + 1));
		valueSet.setUrl(url);
		valueSet.setVersion(IheProfile.Spec.BALP.version());
		valueSet.setName("Crosswalk" + iheName);
		valueSet.setStatus(PublicationStatus.ACTIVE);
		valueSet.setExperimental(false);
		valueSet.setPublisher("Crosswalk");
		valueSet.setDescription("Transcribes " + IheProfile.Spec.BALP.label() + " " + iheName + ". " + description);
		ConceptSetComponent include = valueSet.getCompose().addInclude().setSystem(system);
		for (String code : codes) {
			include.addConcept().setCode(code);
		}
		return valueSet;
	}

}
