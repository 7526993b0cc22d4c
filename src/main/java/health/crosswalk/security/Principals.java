package health.crosswalk.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.servlet.http.HttpServletRequest;

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
	 * The authenticated caller of a servlet request, also after Spring Security has
	 * cleared its context (an audit record written as the request ends).
	 * @param request a servlet request
	 * @return the principal, or null when the request was not authenticated
	 */
	public static CrosswalkPrincipal of(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof CrosswalkAuthentication crosswalk) {
			return crosswalk.getPrincipal();
		}
		return (request.getAttribute(KEY) instanceof CrosswalkPrincipal bound) ? bound : null;
	}

	static void bind(HttpServletRequest request, CrosswalkPrincipal principal) {
		request.setAttribute(KEY, principal);
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
