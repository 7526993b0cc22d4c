package health.crosswalk.server;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

import ca.uhn.fhir.rest.api.Constants;
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
 *
 * <p>
 * Usable is at most 16 letters, digits, {@code .}, {@code _} or {@code -}: HAPI stores 16
 * characters of the id in {@code meta.source}, so a longer one would be answered in full
 * by a create and cut by the read of the same version. Any other id is replaced by a
 * fresh one, which the response's {@code X-Request-ID} names.
 */
final class RequestIdFilter extends OncePerRequestFilter {

	static final String MDC_KEY = "requestId";

	static final int MAX_LENGTH = 16;

	private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

	private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		.toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = requestId(request.getHeader(Constants.HEADER_REQUEST_ID));
		request.setAttribute(ServletRequestTracing.ATTRIBUTE_REQUEST_ID, id);
		MDC.put(MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

	/**
	 * The id a request is served under.
	 * @param sent the client's {@code X-Request-ID}, or null
	 * @return that id if usable, else a fresh one of 16 letters and digits
	 */
	static String requestId(String sent) {
		if (sent != null && USABLE.matcher(sent.trim()).matches()) {
			return sent.trim();
		}
		char[] id = new char[MAX_LENGTH];
		for (int i = 0; i < id.length; i++) {
			id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
		}
		return new String(id);
	}

}
