package health.crosswalk.server;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses URL parameters holding control characters (NUL and the like), which no FHIR
 * search needs and PostgreSQL cannot store, with a 400 before they reach a query.
 */
final class ControlCharacterFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
			if (hasControlCharacter(parameter.getKey()) || anyHasControlCharacter(parameter.getValue())) {
				Outcomes.write(response, 400,
						ErrorCode.INVALID_REQUEST.outcome("The URL parameter '" + printable(parameter.getKey())
								+ "' holds a control character; remove control characters "
								+ "such as NUL (%00) from the URL."));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private static boolean anyHasControlCharacter(String[] values) {
		for (String value : values) {
			if (hasControlCharacter(value)) {
				return true;
			}
		}
		return false;
	}

	static boolean hasControlCharacter(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
				return true;
			}
		}
		return false;
	}

	private static String printable(String text) {
		return text.replaceAll("\\p{Cntrl}", "?");
	}

}
