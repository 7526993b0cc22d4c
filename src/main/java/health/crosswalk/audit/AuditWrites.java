package health.crosswalk.audit;

import java.util.regex.Pattern;

/**
 * Tells a request that would write an AuditEvent through the FHIR API: any method but GET
 * and HEAD on {@code AuditEvent} or {@code AuditEvent/[id]}. Operations
 * ({@code AuditEvent/$verify}) may be POSTed.
 */
final class AuditWrites {

	private static final Pattern AUDIT_EVENT_PATH = Pattern.compile("^/?AuditEvent(/[^/$][^/]*)?/?$");

	private AuditWrites() {
	}

	static boolean isWrite(String method, String pathBelowBase) {
		if (pathBelowBase == null || "GET".equals(method) || "HEAD".equals(method)) {
			return false;
		}
		return AUDIT_EVENT_PATH.matcher(pathBelowBase).matches() && !pathBelowBase.endsWith("/_search");
	}

}
