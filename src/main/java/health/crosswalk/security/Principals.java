package health.crosswalk.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The principal of a HAPI request. Bound to the request on first use, so bundle entries
 * and every hook of the request see the same one.
 */
public final class Principals {

	private static final String KEY = CrosswalkPrincipal.class.getName();

	private Principals() {
	}

	/**
	 * The caller of a REST request.
	 * @param request a HAPI request
	 * @return the principal, or null for internal (system) requests and unauthenticated
	 * ones
	 */
	public static CrosswalkPrincipal of(RequestDetails request) {
		if (request == null || request instanceof SystemRequestDetails) {
			return null;
		}
		if (request.getUserData().get(KEY) instanceof CrosswalkPrincipal bound) {
			return bound;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof CrosswalkAuthentication crosswalk) {
			request.getUserData().put(KEY, crosswalk.getPrincipal());
			return crosswalk.getPrincipal();
		}
		return null;
	}

	/**
	 * Whether a request is internal work of the server rather than a client's call.
	 * @param request a HAPI request
	 * @return true for system requests and requests without details
	 */
	public static boolean isInternal(RequestDetails request) {
		return request == null || request instanceof SystemRequestDetails;
	}

}
