package health.crosswalk.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import health.crosswalk.security.CrosswalkPrincipal;
import org.hl7.fhir.r4.model.Identifier;

/**
 * What happened in one interaction, gathered from the request before its record is made.
 */
final class AuditFacts {

	/** What kind of interaction: a FHIR REST interaction or an administrative one. */
	enum Kind {

		REST, ADMIN

	}

	Kind kind = Kind.REST;

	/** A {@code restful-interaction} code, or the administrative action. */
	String interaction;

	/** The {@code $operation}, or null. */
	String operation;

	char action = 'E';

	int status;

	String outcomeDescription;

	CrosswalkPrincipal principal;

	/** Who acted when there is no principal (the command line), or null. */
	String requester;

	/**
	 * The slug of the hospital a job of the server acted for, when there is no principal,
	 * or null.
	 */
	String requesterHospital;

	String clientAddress;

	String requestId;

	/** Method and URL of a query, for the query entity, or null. */
	String query;

	/** The resource the URL names ({@code Type/id}), or null. */
	String target;

	/** The resource type the URL names, or null. */
	String resourceType;

	/** The path of an administrative request, or null. */
	String adminPath;

	/**
	 * For an entry of a bundle, which bundle ("entry of a transaction bundle"), or null.
	 */
	String bundle;

	final List<Touch> touches = new ArrayList<>();

	AuditFacts interaction(String code, char actionCode) {
		this.interaction = code;
		this.action = actionCode;
		return this;
	}

	/**
	 * The resources of one patient an interaction touched.
	 *
	 * @param patient the patient as {@code Patient/id}, or null for resources outside any
	 * patient's compartment
	 * @param resources the resources as {@code Type/id}
	 * @param custodians slugs of the other hospitals the resources were disclosed from
	 * @param patientIdentifier the identifier the interaction named the patient by, or
	 * null
	 */
	record Touch(String patient, List<String> resources, Set<String> custodians, Identifier patientIdentifier) {

		Touch(String patient, List<String> resources, Set<String> custodians) {
			this(patient, resources, custodians, null);
		}

	}

	/**
	 * The action a REST interaction takes, as BALP codes it.
	 * @param interaction a {@code restful-interaction} code
	 * @return C, R, U, D or E
	 */
	static char actionOf(String interaction) {
		return switch (interaction) {
			case "create" -> 'C';
			case "read", "vread", "history-instance", "history-type", "history-system", "capabilities" -> 'R';
			case "update", "patch" -> 'U';
			case "delete" -> 'D';
			default -> 'E';
		};
	}

}
