package health.crosswalk.audit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Conditions of an AuditEvent search as SQL over {@code crosswalk.audit_event}: every
 * added condition must hold; within one, any of its values.
 */
final class AuditQuery {

	private final List<String> conditions = new ArrayList<>();

	private final List<Object> arguments = new ArrayList<>();

	private boolean newestFirst = true;

	AuditQuery recordedFrom(long epochMillis, boolean inclusive) {
		return add("recorded " + (inclusive ? ">=" : ">") + " ?", new Timestamp(epochMillis));
	}

	AuditQuery recordedTo(long epochMillis, boolean inclusive) {
		return add("recorded " + (inclusive ? "<=" : "<") + " ?", new Timestamp(epochMillis));
	}

	AuditQuery patientIn(Collection<String> references) {
		return anyOf("patient = ?", references);
	}

	AuditQuery agentsOverlap(Collection<String> keys) {
		return add("agents && ?::text[]", keys.toArray(String[]::new));
	}

	AuditQuery entitiesOverlap(Collection<String> references) {
		return add("entities && ?::text[]", references.toArray(String[]::new));
	}

	AuditQuery typeIn(Collection<String> tokens) {
		List<String> alternatives = new ArrayList<>();
		List<Object> values = new ArrayList<>();
		for (String token : tokens) {
			if (token.contains("|")) {
				alternatives.add("type = ?");
			}
			else {
				alternatives.add("split_part(type, '|', 2) = ?");
			}
			values.add(token);
		}
		return addAll("(" + String.join(" OR ", alternatives) + ")", values);
	}

	AuditQuery subtypesOverlap(Collection<String> tokens) {
		return add("subtypes && ?::text[]", tokens.toArray(String[]::new));
	}

	AuditQuery actionIn(Collection<String> actions) {
		return anyOf("action = ?", actions);
	}

	AuditQuery outcomeIn(Collection<Integer> outcomes) {
		return anyOf("outcome = ?", outcomes);
	}

	AuditQuery sourceIn(Collection<String> sources) {
		return anyOf("source = ?", sources);
	}

	AuditQuery requestIdIn(Collection<String> requestIds) {
		return anyOf("request_id = ?", requestIds);
	}

	AuditQuery oldestFirst() {
		this.newestFirst = false;
		return this;
	}

	String where() {
		return this.conditions.isEmpty() ? "TRUE" : String.join(" AND ", this.conditions);
	}

	List<Object> arguments() {
		return List.copyOf(this.arguments);
	}

	boolean newestFirst() {
		return this.newestFirst;
	}

	private AuditQuery anyOf(String condition, Collection<?> values) {
		List<String> alternatives = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			alternatives.add(condition);
		}
		return addAll("(" + String.join(" OR ", alternatives) + ")", new ArrayList<>(values));
	}

	private AuditQuery add(String condition, Object argument) {
		this.conditions.add(condition);
		this.arguments.add(argument);
		return this;
	}

	private AuditQuery addAll(String condition, List<Object> values) {
		this.conditions.add(condition);
		this.arguments.addAll(values);
		return this;
	}

}
