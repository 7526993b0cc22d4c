package health.crosswalk.server;

import java.io.IOException;

import ca.uhn.fhir.rest.server.ServletRequestTracing;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request one id, the client's {@code X-Request-ID} when it sends a usable
 * one: HAPI reuses it for the request and returns it in the response, and every log line
 * written while serving the request carries it as {@code requestId}.
 */
final class RequestIdFilter extends OncePerRequestFilter {

	static final String MDC_KEY = "requestId";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		MDC.put(MDC_KEY, ServletRequestTracing.getOrGenerateRequestId(request));
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

}
