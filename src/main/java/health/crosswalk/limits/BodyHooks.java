package health.crosswalk.limits;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Checks a FHIR request's raw body after HAPI has chosen the method and before it parses
 * the body ({@code SERVER_INCOMING_REQUEST_POST_PROCESSED}, outside any transaction);
 * HAPI parses the same bytes afterwards. A JSON body must be UTF-8, declared or not (HAPI
 * would replace what is not, and store other text than was sent, or decode another
 * charset past this check), and hold no oversized number. Other bodies are not read.
 */
final class BodyHooks {

	/**
	 * The charset a Content-Type names, lower case, without quotes.
	 * @param contentType the header, or null
	 * @return the charset, or null when none is named
	 */
	static String charset(String contentType) {
		if (contentType == null) {
			return null;
		}
		for (String part : contentType.split(";")) {
			String parameter = part.trim();
			if (parameter.regionMatches(true, 0, "charset=", 0, 8)) {
				return parameter.substring(8).replace("\"", "").trim().toLowerCase(Locale.ROOT);
			}
		}
		return null;
	}

	/**
	 * Where a body stops being UTF-8.
	 * @param body the bytes
	 * @return the position of the first byte that is not, or -1
	 */
	static int firstInvalidUtf8(byte[] body) {
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(body);
		CharBuffer out = CharBuffer.allocate(8192);
		while (true) {
			CoderResult result = decoder.decode(in, out, true);
			if (result.isError()) {
				return in.position();
			}
			if (result.isUnderflow()) {
				return -1;
			}
			out.clear();
		}
	}

	@Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
	boolean beforeParsing(RequestDetails request) {
		String contentType = request.getHeader("Content-Type");
		if (isJson(contentType)) {
			check(contentType, request.loadRequestContents());
		}
		return true;
	}

	/**
	 * Whether a request's body is JSON (FHIR JSON, JSON Patch), the only bodies checked:
	 * other bodies (XML, a Binary's PDF) are not read as JSON.
	 * @param contentType the Content-Type header, or null
	 * @return true for a JSON media type
	 */
	static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.toLowerCase(Locale.ROOT);
		int end = type.indexOf(';');
		type = ((end >= 0) ? type.substring(0, end) : type).trim();
		return type.equals("application/json") || type.endsWith("+json");
	}

	static void check(String contentType, byte[] body) {
		if (body == null) {
			return;
		}
		String charset = charset(contentType);
		if (charset != null && !charset.equals("utf-8")) {
			// HAPI would decode it with that charset, past this scan of the bytes.
			String message = "The JSON body is declared as " + charset + "; send it encoded as UTF-8, as JSON "
					+ "requires.";
			throw LimitError.INVALID_TEXT.exception(message);
		}
		int invalid = firstInvalidUtf8(body);
		if (invalid >= 0) {
			String message = "The JSON body is not valid UTF-8 (from byte " + invalid + "); send it encoded as UTF-8, "
					+ "as JSON requires.";
			throw LimitError.INVALID_TEXT.exception(message);
		}
		int at = NumberScan.firstOversizedNumber(body);
		if (at >= 0) {
			String number = new String(body, at, Math.min(40, body.length - at), StandardCharsets.UTF_8)
				.replaceAll("[^0-9.eE+-].*", "");
			String message = "The body holds a number with more than " + NumberScan.MAX
					+ " digits or an exponent beyond " + NumberScan.MAX + " at byte " + at + " ('" + number
					+ "...'); no FHIR value needs one.";
			throw LimitError.DECIMAL_OUT_OF_RANGE.exception(message);
		}
	}

}
