package health.crosswalk.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with a 400 before they reach HAPI or a query, URL parameters that cannot be
 * decoded (a bad percent-encoding such as {@code %zz}, bytes that are not UTF-8), paging
 * parameters that are not whole numbers from 0 ({@code _count}, {@code _offset}), and
 * parameters holding control characters (NUL and the like), which no FHIR search needs
 * and PostgreSQL cannot store.
 */
final class ParameterFilter extends OncePerRequestFilter {

	/** Set by Tomcat, with why, when it could not decode a request's parameters. */
	static final String PARAMETER_PARSE_FAILED_REASON = "org.apache.catalina.parameter_parse_failed_reason";

	/**
	 * Paging parameters, whole numbers from 0 wherever they appear, up to their maximum:
	 * an offset leaves room for a page after it, since HAPI adds the two in an int (an
	 * {@code _offset} of 2³¹−21 was a 500).
	 */
	private static final Map<String, Integer> COUNTS = Map.of("_count", Integer.MAX_VALUE, "_offset", 1 << 30);

	/** Parameters HAPI would ignore silently when their value is unknown. */
	private static final Map<String, List<String>> ENUMERATED = Map.of("_summary",
			List.of("true", "false", "text", "data", "count"), "_total", List.of("none", "estimated", "accurate"));

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Map<String, String[]> parameters = request.getParameterMap();
		Object failure = request.getAttribute(PARAMETER_PARSE_FAILED_REASON);
		if (failure == null && !isUtf8(request.getQueryString())) {
			failure = "not UTF-8";
		}
		if (failure != null) {
			// Tomcat skipped what it could not decode; HAPI would decode the query again
			// and fail with a 500.
			Outcomes.write(response, 400, ErrorCode.INVALID_REQUEST.outcome("The URL's query or the form body "
					+ "could not be decoded (" + failure + "): percent-encode reserved characters, e.g. %25 for '%'."));
			return;
		}
		for (Map.Entry<String, Integer> count : COUNTS.entrySet()) {
			for (String value : parameters.getOrDefault(count.getKey(), new String[0])) {
				if (!isCount(value, count.getValue())) {
					Outcomes.write(response, 400,
							ErrorCode.INVALID_REQUEST
								.outcome("The parameter " + count.getKey() + "='" + Outcomes.quote(value)
										+ "' is not a whole number from 0 to " + count.getValue() + "."));
					return;
				}
			}
		}
		for (Map.Entry<String, List<String>> allowed : ENUMERATED.entrySet()) {
			for (String value : parameters.getOrDefault(allowed.getKey(), new String[0])) {
				if (!allowed.getValue().contains(value)) {
					Outcomes.write(response, 400,
							ErrorCode.INVALID_REQUEST
								.outcome("The parameter " + allowed.getKey() + "='" + Outcomes.quote(value)
										+ "' is not one of " + String.join(", ", allowed.getValue()) + "."));
					return;
				}
			}
		}
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			if (hasControlCharacter(parameter.getKey()) || anyHasControlCharacter(parameter.getValue())) {
				Outcomes.write(response, 400,
						ErrorCode.INVALID_REQUEST.outcome("The URL parameter '" + Outcomes.quote(parameter.getKey())
								+ "' holds a control character; remove control characters "
								+ "such as NUL (%00) from the URL."));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/**
	 * Whether a raw query string decodes to UTF-8; Tomcat would replace what does not,
	 * and the search would run on other text than the client sent.
	 * @param query the query as sent, percent-encoded, or null
	 * @return false if a percent-encoded byte sequence is not UTF-8
	 */
	static boolean isUtf8(String query) {
		if (query == null || query.indexOf('%') < 0) {
			return true;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.length());
		for (int i = 0; i < query.length(); i++) {
			char c = query.charAt(i);
			int high = (c == '%' && i + 2 < query.length()) ? Character.digit(query.charAt(i + 1), 16) : -1;
			int low = (high >= 0) ? Character.digit(query.charAt(i + 2), 16) : -1;
			if (low >= 0) {
				bytes.write(high * 16 + low);
				i += 2;
			}
			else {
				bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	static boolean isCount(String value, int maximum) {
		if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return false;
		}
		return Long.parseLong(value) <= maximum;
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

}
