package health.crosswalk.security;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/**
 * Who may do what to which FHIR data, as plain code the HAPI hooks call into.
 *
 * <ul>
 * <li>hospital-system and clinician callers work on their own hospital's partition,
 * within their SMART scopes, and never on AuditEvents;</li>
 * <li>auditors read and search AuditEvents of every hospital, nothing else;</li>
 * <li>admins have no FHIR access beyond the public CapabilityStatement.</li>
 * </ul>
 */
final class FhirAccessPolicy {

	static final String AUDIT_EVENT = "AuditEvent";

	private static final String EXPORT = "$export";

	private static final String EXPORT_POLL = "$export-poll-status";

	private static final String IMPORT = "$import";

	private static final String BINARY = "Binary";

	/**
	 * The operations hospital callers may invoke, and the interaction each needs. Any
	 * other operation HAPI offers (merge, reindex, expunge, type-level $meta, which reads
	 * tags across partitions, ...) is refused.
	 */
	private static final Map<String, OperationRule> OPERATIONS = Map.ofEntries(
			Map.entry("$everything", new OperationRule(false, true, 'r')),
			// Bulk Data: Patient/$export and Group/[id]/$export (the system level is in
			// SYSTEM_OPERATIONS); an export reads every type, so it needs a scope on all.
			Map.entry(EXPORT, new OperationRule(true, true, 'r')),
			Map.entry("$ihe-pix", new OperationRule(true, false, 'r')),
			Map.entry("$match", new OperationRule(true, false, 's')),
			Map.entry("$meta", new OperationRule(false, true, 'r')),
			Map.entry("$meta-add", new OperationRule(false, true, 'u')),
			Map.entry("$meta-delete", new OperationRule(false, true, 'u')),
			Map.entry("$validate", new OperationRule(true, true, 'r')),
			Map.entry("$expand", new OperationRule(true, true, 'r')),
			Map.entry("$validate-code", new OperationRule(true, true, 'r')),
			Map.entry("$lookup", new OperationRule(true, true, 'r')),
			Map.entry("$subsumes", new OperationRule(true, true, 'r')),
			Map.entry("$translate", new OperationRule(true, true, 'r')));

	/**
	 * The system-level operations hospital callers may invoke: a Bulk Data export of
	 * their hospital's partition, and its status, manifest and cancellation; an import
	 * into it, and its status and cancellation. Any other ($reindex, $expunge, $meta,
	 * $get-resource-counts, ...) is refused.
	 */
	private static final Set<String> SYSTEM_OPERATIONS = Set.of(EXPORT, EXPORT_POLL, IMPORT, "$import-poll-status");

	private static final Set<RestOperationTypeEnum> AUDITOR_OPERATIONS = Set.of(RestOperationTypeEnum.READ,
			RestOperationTypeEnum.VREAD, RestOperationTypeEnum.SEARCH_TYPE);

	/** The audit trail's own operations: chain verification and its head. */
	private static final Set<String> AUDITOR_EXTENDED_OPERATIONS = Set.of("$verify", "$chain-head");

	/**
	 * Whether some role may call an operation on a resource type, at type or instance
	 * level: what the CapabilityStatement may list.
	 * @param resourceType the type
	 * @param operationName the operation, with or without its {@code $}
	 * @return true if the policy lets a caller invoke it
	 */
	static boolean offers(String resourceType, String operationName) {
		if (operationName == null) {
			return false;
		}
		String name = operationName.startsWith("$") ? operationName : "$" + operationName;
		if (BINARY.equals(resourceType) && name.startsWith("$meta")) {
			return false;
		}
		return OPERATIONS.containsKey(name)
				|| (AUDIT_EVENT.equals(resourceType) && AUDITOR_EXTENDED_OPERATIONS.contains(name));
	}

	/**
	 * Whether an operation may be called on the server's base ({@code /$export}).
	 * @param operationName the operation, with or without its {@code $}
	 * @return true if some role may call it there
	 */
	static boolean offersAtSystemLevel(String operationName) {
		return operationName != null
				&& SYSTEM_OPERATIONS.contains(operationName.startsWith("$") ? operationName : "$" + operationName);
	}

	/**
	 * Whether an operation may be called on a type ({@code /Patient/$match}).
	 * @param operationName the operation, with its {@code $}
	 * @return true if some role may call it there
	 */
	static boolean offersAtTypeLevel(String operationName) {
		OperationRule rule = OPERATIONS.get(operationName);
		return (rule != null) ? rule.typeLevel() : AUDITOR_EXTENDED_OPERATIONS.contains(operationName);
	}

	/**
	 * Whether an operation may be called on an instance ({@code /Patient/1/$everything}).
	 * @param operationName the operation, with its {@code $}
	 * @return true if some role may call it there
	 */
	static boolean offersAtInstanceLevel(String operationName) {
		OperationRule rule = OPERATIONS.get(operationName);
		return rule != null && rule.instanceLevel();
	}

	private final HospitalDirectory hospitals;

	private final Predicate<String> partitionable;

	/**
	 * @param hospitals who owns which identifier systems
	 * @param partitionable whether HAPI keeps a resource type per partition; the others
	 * (conformance resources) are shared by every hospital
	 */
	FhirAccessPolicy(HospitalDirectory hospitals, Predicate<String> partitionable) {
		this.hospitals = hospitals;
		this.partitionable = partitionable;
	}

	/**
	 * Checks a REST request before HAPI handles it.
	 * @param principal the caller
	 * @param operation what HAPI is about to do
	 * @param resourceType the type in the URL, or null
	 * @param operationName the {@code $operation}, or null
	 */
	void checkRequest(CrosswalkPrincipal principal, RestOperationTypeEnum operation, String resourceType,
			String operationName) {
		if (operation == RestOperationTypeEnum.METADATA || operation == RestOperationTypeEnum.GET_PAGE) {
			// A page's owner is checked by the page check; its resources when shown.
			return;
		}
		Role role = requireRole(principal);
		if (role == Role.ADMIN || role == Role.STEWARD || role == Role.MONITOR) {
			throw refuse(SecurityError.ROLE_NOT_ALLOWED,
					"Administrators and data stewards work through /admin, monitors scrape /actuator/prometheus; "
							+ "they have no access to FHIR data.");
		}
		if (role == Role.AUDITOR) {
			boolean auditOperation = operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
					&& AUDITOR_EXTENDED_OPERATIONS.contains(operationName);
			if (!AUDIT_EVENT.equals(resourceType) || !(AUDITOR_OPERATIONS.contains(operation) || auditOperation)) {
				throw refuse(SecurityError.ROLE_NOT_ALLOWED, "Auditors may read and search AuditEvents only, not "
						+ describe(operation, resourceType) + ".");
			}
			return;
		}
		if (role == Role.NETWORK_EXPORTER) {
			boolean export = operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
					&& (EXPORT.equals(operationName) || EXPORT_POLL.equals(operationName));
			boolean file = (operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD)
					&& BINARY.equals(resourceType);
			if (!export && !file) {
				throw refuse(SecurityError.ROLE_NOT_ALLOWED,
						"A network exporter starts and polls exports at the "
								+ "server's base (/$export) and reads their files; not "
								+ describe(operation, resourceType) + ".");
			}
			requireAll(principal, 'r', "export every hospital's data");
			return;
		}
		if (AUDIT_EVENT.equals(resourceType)) {
			throw refuse(SecurityError.ROLE_NOT_ALLOWED, "AuditEvents are read by auditors only.");
		}
		switch (operation) {
			case TRANSACTION, BATCH -> {
				// Each entry is checked as it is stored or shown.
			}
			case SEARCH_SYSTEM -> requireAll(principal, 's', "search across all types");
			case HISTORY_SYSTEM -> requireAll(principal, 'r', "read the history of all types");
			case CREATE -> checkWrite(principal, resourceType, 'c');
			case UPDATE, PATCH, META_ADD, META_DELETE -> checkWrite(principal, resourceType, 'u');
			case DELETE -> checkWrite(principal, resourceType, 'd');
			case READ, VREAD, HISTORY_INSTANCE, META -> require(principal, resourceType, 'r');
			case SEARCH_TYPE, HISTORY_TYPE -> require(principal, resourceType, 's');
			case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE ->
				checkOperation(principal, resourceType, operationName, operation);
			case EXTENDED_OPERATION_SERVER -> checkSystemOperation(principal, operationName);
			default -> throw refuse(SecurityError.OPERATION_NOT_ALLOWED,
					describe(operation, resourceType) + " is not available to hospital callers.");
		}
	}

	/**
	 * Checks a write as it reaches storage (also for each entry of a bundle).
	 * @param principal the caller
	 * @param resourceType the type written
	 * @param interaction {@code c}, {@code u} or {@code d}
	 */
	void checkWrite(CrosswalkPrincipal principal, String resourceType, char interaction) {
		Role role = requireRole(principal);
		if (!role.isClinical() || AUDIT_EVENT.equals(resourceType)) {
			throw refuse(SecurityError.ROLE_NOT_ALLOWED,
					"The " + role.code() + " role cannot write " + resourceType + " resources.");
		}
		if (!this.partitionable.test(resourceType)) {
			throw refuse(SecurityError.SHARED_RESOURCE_READ_ONLY,
					resourceType + " resources are shared by every hospital and cannot be written through the API.");
		}
		require(principal, resourceType, interaction);
	}

	/**
	 * Whether a resource of this type may be returned to the caller (also for
	 * {@code _include}d and {@code $everything} resources).
	 * @param principal the caller
	 * @param resourceType the type of a resource about to be shown
	 * @return true if the caller may see it
	 */
	boolean mayShow(CrosswalkPrincipal principal, String resourceType) {
		return principal != null && principal.mayRead(resourceType);
	}

	/**
	 * Checks that a Patient carries hospital identifiers only in the writer's own
	 * systems.
	 * @param principal the writer
	 * @param resource the resource being stored
	 */
	void checkIdentifierSystems(CrosswalkPrincipal principal, IBaseResource resource) {
		if (!(resource instanceof Patient patient) || principal == null || !principal.hasHospital()) {
			return;
		}
		for (int i = 0; i < patient.getIdentifier().size(); i++) {
			Identifier identifier = patient.getIdentifier().get(i);
			if (!identifier.hasSystem()) {
				continue;
			}
			String owner = this.hospitals.ownerOfIdentifierSystem(identifier.getSystem()).orElse(null);
			if (owner != null && !owner.equals(principal.hospitalSlug())) {
				throw refuse(SecurityError.FOREIGN_IDENTIFIER_SYSTEM,
						"Patient.identifier[" + i + "].system '" + identifier.getSystem()
								+ "' belongs to another hospital; hospital '" + principal.hospitalSlug()
								+ "' cannot assign identifiers in it.");
			}
		}
	}

	/**
	 * Whether a resource stored in the given partition may be shown to the caller: its
	 * own hospital's, or the shared default partition (conformance resources). Auditors
	 * see every partition. A defence in depth behind HAPI's partition filtering.
	 * @param principal the caller
	 * @param resourcePartition the partition the resource was read from, or null if
	 * unknown
	 * @return true if it may be shown
	 */
	boolean mayShowFrom(CrosswalkPrincipal principal, RequestPartitionId resourcePartition) {
		if (resourcePartition == null || principal == null || !principal.hasHospital()) {
			return true;
		}
		return resourcePartition.isDefaultPartition()
				|| resourcePartition.hasPartitionId(principal.hospital().partitionId());
	}

	/**
	 * The key under which the caller's searches are remembered for paging.
	 * @param principal the caller
	 * @return the hospital slug, or {@code *} for an all-partition (auditor) caller
	 */
	String partitionKey(CrosswalkPrincipal principal) {
		if (principal != null && principal.role() == Role.NETWORK_EXPORTER) {
			// It searches nothing: no page is its ('!' is in no hospital's slug).
			return "!network-exporter";
		}
		RequestPartitionId partition = partitionFor(principal, null);
		return partition.isAllPartitions() ? "*" : principal.hospitalSlug();
	}

	/**
	 * The partition a REST request works in: the caller's hospital; every partition for
	 * an auditor's reads and for a network exporter's exports and their polls; the
	 * default partition, where those exports' files are, for a network exporter's reads.
	 * @param principal the caller
	 * @param operation what the request does, or null if not known
	 * @return the partition
	 */
	RequestPartitionId partitionFor(CrosswalkPrincipal principal, RestOperationTypeEnum operation) {
		if (principal != null && principal.hasHospital()) {
			return RequestPartitionId.fromPartitionIdAndName(principal.hospital().partitionId(),
					principal.hospital().slug());
		}
		if (principal != null && principal.role() == Role.AUDITOR) {
			return RequestPartitionId.allPartitions();
		}
		if (principal != null && principal.role() == Role.NETWORK_EXPORTER) {
			return (operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER) ? RequestPartitionId.allPartitions()
					: RequestPartitionId.defaultPartition();
		}
		throw refuse(SecurityError.ROLE_NOT_ALLOWED, "This credential does not act for a hospital.");
	}

	private void checkOperation(CrosswalkPrincipal principal, String resourceType, String operationName,
			RestOperationTypeEnum operation) {
		// offers() also closes $meta on Binary: export files are read-only and
		// answered to their requester alone, and $meta would pass both checks.
		OperationRule rule = offers(resourceType, operationName) ? OPERATIONS.get(operationName) : null;
		boolean typeLevel = operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE;
		if (rule == null || (typeLevel ? !rule.typeLevel() : !rule.instanceLevel())) {
			// Type-level $everything among them: HAPI 8.8's was seen
			// returning other partitions' patients.
			String level = typeLevel ? resourceType : resourceType + "/[id]";
			throw refuse(SecurityError.OPERATION_NOT_ALLOWED, "The operation " + level + "/" + operationName
					+ " is not available to hospital callers"
					+ ((typeLevel && rule != null) ? "; use " + resourceType + "/[id]/" + operationName + "." : "."));
		}
		if (EXPORT.equals(operationName)) {
			requireAll(principal, 'r', "export data");
		}
		else if (rule.interaction() == 'r' || rule.interaction() == 's') {
			require(principal, resourceType, rule.interaction());
		}
		else {
			checkWrite(principal, resourceType, rule.interaction());
		}
	}

	private static void checkSystemOperation(CrosswalkPrincipal principal, String operationName) {
		if (!SYSTEM_OPERATIONS.contains(operationName)) {
			throw refuse(SecurityError.OPERATION_NOT_ALLOWED,
					"The operation /" + operationName + " is not available to hospital callers.");
		}
		if (operationName.startsWith(IMPORT)) {
			// An import creates and updates records of any type; only its requester gets
			// an answer about it (see health.crosswalk.migration).
			requireAll(principal, 'c', "import data or poll an import");
			requireAll(principal, 'u', "import data or poll an import");
			return;
		}
		// Polling reads the export's manifest, so it needs the scope that started it;
		// only the export's requester gets an answer (see health.crosswalk.bulk).
		requireAll(principal, 'r', "export data or poll an export");
	}

	/**
	 * Auditors search AuditEvents by its own parameters only: no chains, {@code _has},
	 * includes or type modifiers, which would let them filter on clinical data of every
	 * hospital.
	 * @param principal the caller
	 * @param parameterNames the request's parameter names
	 */
	void checkAuditorQuery(CrosswalkPrincipal principal, Set<String> parameterNames) {
		if (principal == null || principal.role() != Role.AUDITOR) {
			return;
		}
		for (String name : parameterNames) {
			if (name.contains(".") || name.contains(":") || name.startsWith("_has") || name.equals("_include")
					|| name.equals("_revinclude") || name.equals("_contained")) {
				throw refuse(SecurityError.ROLE_NOT_ALLOWED, "Auditors search AuditEvents by their own parameters; '"
						+ name + "' would reach other resources.");
			}
		}
	}

	/**
	 * Refuses a resource carrying the server's mark of a record's source hospital, which
	 * the audit and the readers of shared and exported records trust.
	 * @param resource the resource as written
	 */
	static void checkNoServerTag(IBaseResource resource) {
		if (resource.getMeta()
			.getTag()
			.stream()
			.anyMatch((tag) -> HospitalDirectory.SOURCE_HOSPITAL_TAG.equals(tag.getSystem()))) {
			throw refuse(SecurityError.SERVER_TAG, resource.fhirType() + " carries a tag of system "
					+ HospitalDirectory.SOURCE_HOSPITAL_TAG + ", which only the server writes.");
		}
	}

	/**
	 * Refuses client writes to resources the network manages: the Organizations that
	 * mirror hospitals.
	 * @param resources the resource as written and as stored before (either may be null)
	 */
	void checkNotManaged(IBaseResource... resources) {
		for (IBaseResource resource : resources) {
			if (resource instanceof Organization organization && organization.getIdentifier()
				.stream()
				.anyMatch((identifier) -> HospitalDirectory.HOSPITAL_ORGANIZATION_SYSTEM
					.equals(identifier.getSystem()))) {
				throw refuse(SecurityError.SHARED_RESOURCE_READ_ONLY,
						"The Organization of a hospital mirrors the hospital registry; administrators change it "
								+ "through /admin.");
			}
		}
	}

	private record OperationRule(boolean typeLevel, boolean instanceLevel, char interaction) {
	}

	private static Role requireRole(CrosswalkPrincipal principal) {
		if (principal == null) {
			String message = "This request needs a credential.";
			AuthenticationException unauthenticated = new AuthenticationException(message);
			unauthenticated.setOperationOutcome(SecurityError.NO_CREDENTIAL.outcome(message));
			throw unauthenticated;
		}
		if (principal.role() == null) {
			throw refuse(SecurityError.ROLE_NOT_ALLOWED, "The credential carries no Crosswalk role.");
		}
		return principal.role();
	}

	private static void require(CrosswalkPrincipal principal, String resourceType, char interaction) {
		if (resourceType == null || !principal.scopes().permits(resourceType, interaction)) {
			throw refuse(SecurityError.SCOPE_MISSING, "No granted scope allows '" + interaction + "' ("
					+ name(interaction) + ") on " + resourceType + "; granted: '" + principal.scopes().text() + "'.");
		}
	}

	private static void requireAll(CrosswalkPrincipal principal, char interaction, String what) {
		if (!principal.scopes().permitsAll(interaction)) {
			throw refuse(SecurityError.SCOPE_MISSING, "To " + what
					+ " a scope on every type ('*') is needed; granted: '" + principal.scopes().text() + "'.");
		}
	}

	private static String name(char interaction) {
		return switch (interaction) {
			case 'c' -> "create";
			case 'r' -> "read";
			case 'u' -> "update";
			case 'd' -> "delete";
			default -> "search";
		};
	}

	private static String describe(RestOperationTypeEnum operation, String resourceType) {
		return operation.getCode() + ((resourceType != null) ? " on " + resourceType : "");
	}

	static CrosswalkException refuse(SecurityError error, String message) {
		return error.exception(message);
	}

}
