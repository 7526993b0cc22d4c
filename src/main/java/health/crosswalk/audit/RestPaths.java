package health.crosswalk.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * What a FHIR REST request is, told from its method and path alone: for requests refused
 * before HAPI parsed them (no credential, a forbidden role, a malformed URL).
 */
final class RestPaths {

	private RestPaths() {
	}

	/**
	 * @param method the HTTP method
	 * @param path the path below the FHIR base, without a leading slash
	 * @return the interaction
	 */
	static Inferred infer(String method, String path) {
		List<String> segments = new ArrayList<>();
		for (String segment : path.split("/")) {
			if (!segment.isEmpty()) {
				segments.add(segment);
			}
		}
		String type = segments.isEmpty() ? null : segments.get(0);
		if (type != null && (type.startsWith("$") || type.startsWith("_") || "metadata".equals(type))) {
			String interaction = switch (type) {
				case "metadata" -> "capabilities";
				case "_history" -> "history-system";
				case "_search" -> "search-system";
				default -> "operation";
			};
			return new Inferred(interaction, null, null, type.startsWith("$") ? type : null);
		}
		if (segments.isEmpty()) {
			return new Inferred("POST".equals(method) ? "transaction" : "search-system", null, null, null);
		}
		if (segments.size() == 1) {
			String interaction = switch (method) {
				case "POST" -> "create";
				case "PUT" -> "update";
				case "PATCH" -> "patch";
				case "DELETE" -> "delete";
				default -> "search-type";
			};
			return new Inferred(interaction, type, null, null);
		}
		String second = segments.get(1);
		if (second.startsWith("$")) {
			return new Inferred("operation", type, null, second);
		}
		if ("_search".equals(second)) {
			return new Inferred("search-type", type, null, null);
		}
		if ("_history".equals(second)) {
			return new Inferred("history-type", type, null, null);
		}
		String target = type + "/" + second;
		if (segments.size() == 2) {
			String interaction = switch (method) {
				case "PUT" -> "update";
				case "PATCH" -> "patch";
				case "DELETE" -> "delete";
				default -> "read";
			};
			return new Inferred(interaction, type, target, null);
		}
		String third = segments.get(2);
		if (third.startsWith("$")) {
			return new Inferred("operation", type, target, third);
		}
		if ("_history".equals(third)) {
			return new Inferred((segments.size() > 3) ? "vread" : "history-instance", type, target, null);
		}
		return new Inferred("read", type, target, null);
	}

	/**
	 * @param interaction the {@code restful-interaction} code
	 * @param resourceType the type, or null
	 * @param target the resource named ({@code Type/id}), or null
	 * @param operation the {@code $operation}, or null
	 */
	record Inferred(String interaction, String resourceType, String target, String operation) {
	}

}
