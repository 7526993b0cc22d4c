package health.crosswalk.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.HospitalRef;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Turns the facts of an interaction into IHE BALP-shaped AuditEvents, one per patient
 * touched, and their rows.
 */
final class AuditEventFactory {

	static final String TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-event-type";

	static final String ADMIN_TYPE_SYSTEM = "urn:crosswalk:audit-type";

	static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";

	static final String OPERATION_SYSTEM = "urn:crosswalk:operation";

	static final String ADMIN_ACTION_SYSTEM = "urn:crosswalk:admin-action";

	static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

	static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

	static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";

	static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

	static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";

	static final String ADMIN_PATH_SYSTEM = "urn:crosswalk:admin-path";

	static final String USER_SYSTEM = "urn:crosswalk:user";

	static final String JWT = "jwt";

	static final String ROLE_SYSTEM = "urn:crosswalk:role";

	static final String SERVER_SYSTEM = "urn:crosswalk:server";

	static final String IHE_EVENT_TYPE_SYSTEM = "urn:ihe:event-type-code";

	static final String PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

	/** The IHE transactions an operation is, named as a subtype. */
	private static final Map<String, IheTransaction> IHE_TRANSACTIONS = Map.of("$ihe-pix",
			new IheTransaction("ITI-83", "Mobile Patient Identifier Cross-reference Query"), "$match",
			new IheTransaction("ITI-119", "Patient Demographics Match"));

	/** Operations that query, and are recorded in BALP's Query pattern. */
	private static final Set<String> QUERY_OPERATIONS = Set.of("$everything", "$ihe-pix", "$match", "$lastn");

	private final String sourceId;

	private final NetworkAddress serverAddress;

	private final HospitalDirectory hospitals;

	private final Function<AuditEvent, String> encoder;

	/**
	 * @param fhir the FHIR context
	 * @param sourceId how this server names itself
	 * @param serverAddress this server's address on the network: an IP address or a host
	 * name
	 * @param hospitals the hospitals, for the organizations that name them
	 */
	AuditEventFactory(FhirContext fhir, String sourceId, String serverAddress, HospitalDirectory hospitals) {
		this(sourceId, serverAddress, hospitals, new AuditJson(fhir)::write);
	}

	/**
	 * @param sourceId how this server names itself
	 * @param serverAddress this server's address on the network
	 * @param hospitals the hospitals, for the organizations that name them
	 * @param encoder how an event becomes its JSON
	 */
	AuditEventFactory(String sourceId, String serverAddress, HospitalDirectory hospitals,
			Function<AuditEvent, String> encoder) {
		this.sourceId = sourceId;
		this.serverAddress = NetworkAddress.of(serverAddress);
		this.hospitals = hospitals;
		this.encoder = encoder;
	}

	/**
	 * The records of an interaction: one per patient touched, or one.
	 * @param facts what happened
	 * @param recorded when, epoch milliseconds
	 * @return the rows
	 */
	List<AuditRow> rows(AuditFacts facts, long recorded) {
		List<AuditFacts.Touch> touches = facts.touches.isEmpty() ? List
			.of(new AuditFacts.Touch(null, (facts.target != null) ? List.of(facts.target) : List.of(), Set.of()))
				: facts.touches;
		// Looked up once per interaction, not once per patient touched.
		Map<String, String> organizations = new HashMap<>();
		List<AuditRow> rows = new ArrayList<>(touches.size());
		for (AuditFacts.Touch touch : touches) {
			rows.add(row(facts, touch, recorded, organizations));
		}
		return rows;
	}

	private AuditRow row(AuditFacts facts, AuditFacts.Touch touch, long recorded, Map<String, String> organizations) {
		UUID id = UUID.randomUUID();
		AuditEvent event = new AuditEvent();
		event.setId(id.toString());
		Coding type = (facts.kind == AuditFacts.Kind.ADMIN) ? new Coding(ADMIN_TYPE_SYSTEM, "admin", "Administration")
				: new Coding(TYPE_SYSTEM, "rest", "Restful Operation");
		event.setType(type);
		List<String> subtypes = new ArrayList<>();
		String subtypeSystem = (facts.kind == AuditFacts.Kind.ADMIN) ? ADMIN_ACTION_SYSTEM : INTERACTION_SYSTEM;
		subtype(event, subtypes, subtypeSystem, facts.interaction, null);
		if (facts.operation != null) {
			subtype(event, subtypes, OPERATION_SYSTEM, facts.operation, null);
			IheTransaction transaction = IHE_TRANSACTIONS.get(facts.operation);
			if (transaction != null) {
				subtype(event, subtypes, IHE_EVENT_TYPE_SYSTEM, transaction.code(), transaction.display());
			}
			if (QUERY_OPERATIONS.contains(facts.operation)) {
				// A query by operation is a search as BALP's Query pattern sees it.
				subtype(event, subtypes, INTERACTION_SYSTEM, "search", null);
			}
		}
		event.setAction(AuditEvent.AuditEventAction.fromCode(String.valueOf(facts.action)));
		event.setRecorded(new Date(recorded));
		int outcome = outcomeOf(facts.status);
		event.setOutcome(AuditEvent.AuditEventOutcome.fromCode(String.valueOf(outcome)));
		event.setOutcomeDesc(facts.outcomeDescription);

		Roles roles = Roles.of(facts);
		List<String> agents = new ArrayList<>();
		requester(event, agents, facts, roles);
		Reference serverIdentity = new Reference()
			.setIdentifier(new Identifier().setSystem(SERVER_SYSTEM).setValue(this.sourceId))
			.setDisplay(this.sourceId);
		AuditEventAgentComponent server = event.addAgent()
			.setType(new CodeableConcept(roles.server()))
			.setWho(serverIdentity.copy())
			.setRequestor(false);
		server.getNetwork().setAddress(this.serverAddress.address()).setType(this.serverAddress.type());
		if (facts.action == 'R' || facts.action == 'E') {
			// The hospitals whose records were disclosed.
			for (String custodian : touch.custodians()) {
				AuditEventAgentComponent agent = event.addAgent()
					.setType(new CodeableConcept(new Coding(PARTICIPATION, "CST", "custodian")))
					.setWho(hospital(custodian, organizations.computeIfAbsent(custodian, this::organizationOf), agents))
					.setName(custodian)
					.setRequestor(false);
				agents.add("name|" + custodian);
				agent.setAltId(custodian);
			}
		}
		event.getSource()
			.setSite("crosswalk")
			.setObserver(serverIdentity)
			.addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
					"Application Server"));

		// What the row is found by; an entity may be named by two slices (a Patient read
		// names the Patient as patient and as data).
		Set<String> indexed = new LinkedHashSet<>();
		if (touch.patient() != null || touch.patientIdentifier() != null) {
			// A patient named by identifier alone (a failed PIXm query) has no reference.
			Reference what = (touch.patient() != null) ? new Reference(touch.patient())
					: new Reference().setType("Patient");
			if (touch.patientIdentifier() != null) {
				what.setIdentifier(touch.patientIdentifier().copy());
			}
			event.addEntity()
				.setWhat(what)
				.setType(new Coding(ENTITY_TYPE, "1", "Person"))
				.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
			if (touch.patient() != null) {
				indexed.add(touch.patient());
			}
		}
		if (facts.query == null) {
			// BALP's data entity: what was read or written. A
			// query names its query instead.
			Set<String> data = new LinkedHashSet<>(touch.resources());
			if (facts.target != null) {
				data.add(facts.target);
			}
			for (String resource : data) {
				event.addEntity()
					.setWhat(new Reference(resource))
					.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
					.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
				indexed.add(resource);
			}
			if (data.isEmpty() && facts.kind == AuditFacts.Kind.REST && facts.resourceType != null) {
				// A refused create stored nothing: its data entity names the type tried.
				event.addEntity()
					.setWhat(new Reference().setType(facts.resourceType)
						.setDisplay(facts.resourceType + ", none stored"))
					.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
					.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
			}
		}
		if (facts.adminPath != null) {
			event.addEntity()
				.setWhat(new Reference()
					.setIdentifier(new Identifier().setSystem(ADMIN_PATH_SYSTEM).setValue(facts.adminPath)))
				.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
				.setDescription(facts.adminPath);
			indexed.add(ADMIN_PATH_SYSTEM + "|" + facts.adminPath);
		}
		if (facts.query != null) {
			AuditEventEntityComponent query = event.addEntity()
				.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
				.setRole(new Coding(OBJECT_ROLE, "24", "Query"))
				.setQuery(facts.query.getBytes(StandardCharsets.UTF_8));
			query.setDescription(facts.query);
		}
		if (facts.requestId != null) {
			AuditEventEntityComponent request = event.addEntity()
				.setWhat(new Reference().setIdentifier(new Identifier().setValue(facts.requestId)))
				.setType(new Coding(BALP_ENTITY_TYPE, "XrequestId", "X-Request-Id"));
			if (facts.bundle != null) {
				request.setDescription(facts.bundle);
			}
		}
		String hospital = (facts.principal != null) ? facts.principal.hospitalSlug() : facts.requesterHospital;
		String json = this.encoder.apply(event);
		return new AuditRow(id, recorded, hospital, type.getSystem() + "|" + type.getCode(), subtypes, facts.action,
				outcome, touch.patient(), agents, List.copyOf(indexed), this.sourceId, facts.requestId, json);
	}

	private void requester(AuditEvent event, List<String> agents, AuditFacts facts, Roles roles) {
		CrosswalkPrincipal principal = facts.principal;
		AuditEventAgentComponent agent = event.addAgent()
			.setType(new CodeableConcept(roles.client()))
			.setRequestor(true);
		if (principal == null && facts.requesterHospital != null) {
			// A job of the server acting for a hospital: the hospital, and the job.
			Reference who = hospital(facts.requesterHospital, organizationOf(facts.requesterHospital), agents);
			agent.setWho(who.setDisplay((facts.requester != null) ? facts.requester : facts.requesterHospital));
			agent.setName(facts.requesterHospital);
			agents.add("name|" + facts.requesterHospital);
		}
		else if (principal == null) {
			agent.setWho(
					new Reference().setDisplay((facts.requester != null) ? facts.requester : "unauthenticated client"));
		}
		else {
			if (principal.hasHospital()) {
				agent.setWho(hospital(principal.hospitalSlug(), principal.hospital().organizationId(), agents));
				agent.setName(principal.hospitalSlug());
				agents.add("name|" + principal.hospitalSlug());
			}
			else {
				agent.setWho(new Reference().setDisplay("network " + roleCode(principal)));
			}
			if (principal.subject() != null) {
				agent.setAltId(principal.subject());
				agents.add("altid|" + principal.subject());
			}
			if (principal.role() != null) {
				agent.addRole().addCoding(new Coding(ROLE_SYSTEM, principal.role().code(), null));
			}
			if (principal.credential() != null) {
				agent.addPolicy("urn:crosswalk:credential:" + principal.credential());
			}
		}
		if (facts.clientAddress != null) {
			agent.getNetwork().setAddress(facts.clientAddress).setType(AuditEventAgentNetworkType._2);
		}
		if (principal != null && JWT.equals(principal.credential()) && principal.subject() != null) {
			// A token names the person (or client) it was issued to: BALP's user agent.
			event.addAgent()
				.setType(new CodeableConcept(roles.user()))
				.setWho(new Reference()
					.setIdentifier(new Identifier().setSystem(USER_SYSTEM).setValue(principal.subject())))
				.setAltId(principal.subject())
				.setRequestor(true);
			agents.add(USER_SYSTEM + "|" + principal.subject());
		}
	}

	private String organizationOf(String slug) {
		return this.hospitals.findBySlug(slug).map(HospitalRef::organizationId).orElse(null);
	}

	private static Reference hospital(String slug, String organizationId, List<String> agents) {
		Reference who = new Reference()
			.setIdentifier(new Identifier().setSystem(HospitalDirectory.HOSPITAL_ORGANIZATION_SYSTEM).setValue(slug))
			.setDisplay(slug);
		if (organizationId != null) {
			who.setReference("Organization/" + organizationId);
			agents.add("Organization/" + organizationId);
		}
		return who;
	}

	private static String roleCode(CrosswalkPrincipal principal) {
		return (principal.role() != null) ? principal.role().code() : "caller";
	}

	private static void subtype(AuditEvent event, List<String> subtypes, String system, String code, String display) {
		event.addSubtype(new Coding(system, code, display));
		subtypes.add(code);
		subtypes.add(system + "|" + code);
	}

	/**
	 * The agent types of an interaction, as BALP codes each: data flows to the client of
	 * a read, which is the destination; the client of a write or a query is the source
	 * (BALP keeps DICOM's convention for queries: the query flows from the client); a
	 * delete names the client as the application and the server as the custodian.
	 */
	record Roles(Coding client, Coding server, Coding user) {

		private static final Coding SOURCE = new Coding(DCM, "110153", "Source Role ID");

		private static final Coding DESTINATION = new Coding(DCM, "110152", "Destination Role ID");

		private static final Coding RECIPIENT = new Coding(PARTICIPATION, "IRCP", "information recipient");

		private static final Coding AUTHOR = new Coding(PARTICIPATION, "AUT", "author (originator)");

		static Roles of(AuditFacts facts) {
			if (facts.kind == AuditFacts.Kind.REST && "delete".equals(facts.interaction)) {
				return new Roles(new Coding(DCM, "110150", "Application"),
						new Coding(PROVENANCE_PARTICIPANT, "custodian", "Custodian"), AUTHOR.copy());
			}
			return switch (facts.action) {
				case 'R' -> new Roles(DESTINATION.copy(), SOURCE.copy(), RECIPIENT.copy());
				case 'E' -> new Roles(SOURCE.copy(), DESTINATION.copy(), RECIPIENT.copy());
				default -> new Roles(SOURCE.copy(), DESTINATION.copy(), AUTHOR.copy());
			};
		}

	}

	private record IheTransaction(String code, String display) {
	}

	/** An agent's network address: an IP address (type 2) or a machine name (type 1). */
	private record NetworkAddress(String address, AuditEventAgentNetworkType type) {

		static NetworkAddress of(String address) {
			if (address == null || address.isBlank()) {
				return new NetworkAddress("localhost", AuditEventAgentNetworkType._1);
			}
			boolean ip = address.matches("[0-9.]+") || address.contains(":");
			return new NetworkAddress(address, ip ? AuditEventAgentNetworkType._2 : AuditEventAgentNetworkType._1);
		}

	}

	static int outcomeOf(int status) {
		if (status < 400) {
			return 0;
		}
		return (status < 500) ? 4 : 8;
	}

}
