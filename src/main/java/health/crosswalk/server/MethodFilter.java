package health.crosswalk.server;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 405 and an OperationOutcome, FHIR requests whose method FHIR does not
 * define (TRACK, PROPFIND...), and writes to a version or history path ({@code PUT},
 * {@code POST}, {@code PATCH} or {@code DELETE} on {@code .../_history...}), which HAPI
 * would otherwise treat as writes to the resource itself.
 */
final class MethodFilter extends OncePerRequestFilter {

	private static final Set<String> FHIR_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !Outcomes.isFhir(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String method = request.getMethod();
		if (!FHIR_METHODS.contains(method)) {
			refuse(response, "The method " + method + " is not a FHIR interaction.",
					"GET, HEAD, POST, PUT, PATCH, " + "DELETE, OPTIONS");
			return;
		}
		if ("PATCH".equals(method)) {
			long length = request.getContentLengthLong();
			boolean chunked = request.getHeader("Transfer-Encoding") != null;
			String problem = patchProblem(request.getRequestURI(), request.getQueryString(),
					(length < 0 && !chunked) ? 0 : length);
			if (problem != null) {
				Outcomes.write(response, 400, ErrorCode.INVALID_REQUEST.outcome(problem));
				return;
			}
		}
		// The decoded path too: %5Fhistory is _history to HAPI.
		if (!READ_METHODS.contains(method) && (isHistoryPath(request.getRequestURI())
				|| isHistoryPath(request.getServletPath() + Objects.toString(request.getPathInfo(), "")))) {
			refuse(response, "A version or history can only be read: " + method + " on a _history path changes "
					+ "nothing. Send the write to the resource itself.", "GET, HEAD, OPTIONS");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * What is wrong with a PATCH, before HAPI fails on it with a 500.
	 * @param path the request path
	 * @param query the query, or null
	 * @param contentLength the body's length: 0 for none, -1 for a chunked body
	 * @return the problem, or null
	 */
	static String patchProblem(String path, String query, long contentLength) {
		if (contentLength == 0) {
			return "A PATCH needs a body: a JSON Patch (application/json-patch+json) or FHIRPath Patch "
					+ "Parameters (application/fhir+json).";
		}
		String[] segments = path.replaceFirst("^/fhir/?", "").split("/");
		if (segments.length == 1 && (query == null || query.isBlank())) {
			return "A PATCH needs the id of the resource (PATCH /fhir/" + segments[0] + "/[id]) or a search that "
					+ "finds it (PATCH /fhir/" + segments[0] + "?identifier=...).";
		}
		return null;
	}

	static boolean isHistoryPath(String path) {
		return path.contains("/_history");
	}

	private static void refuse(HttpServletResponse response, String diagnostics, String allowed) throws IOException {
		response.setHeader("Allow", allowed);
		Outcomes.write(response, 405, ErrorCode.METHOD_NOT_ALLOWED.outcome(diagnostics));
	}

}
