package health.crosswalk.audit;

import java.util.List;
import java.util.UUID;

/**
 * One audit record as stored: the AuditEvent as served ({@code resource}) and the values
 * auditors search by, derived from it.
 *
 * @param id the AuditEvent id
 * @param recorded when, to the millisecond (as in {@code AuditEvent.recorded})
 * @param hospital slug of the requesting hospital, or null
 * @param type {@code system|code} of {@code AuditEvent.type}
 * @param subtypes {@code code} and {@code system|code} of each subtype
 * @param action C, R, U, D or E
 * @param outcome 0, 4, 8 or 12
 * @param patient the patient touched, as {@code Patient/id}, or null
 * @param agents search keys of the agents: {@code Organization/id}, {@code name|x},
 * {@code altid|x}
 * @param entities the entities' references, as {@code Type/id}
 * @param source the observing server's id
 * @param requestId the request id, or null
 * @param resource the AuditEvent, as JSON
 */
record AuditRow(UUID id, long recorded, String hospital, String type, List<String> subtypes, char action, int outcome,
		String patient, List<String> agents, List<String> entities, String source, String requestId, String resource) {

	AuditRow {
		subtypes = List.copyOf(subtypes);
		agents = List.copyOf(agents);
		entities = List.copyOf(entities);
	}

}
