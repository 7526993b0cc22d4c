package health.crosswalk.limits;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * Checks a FHIR request's raw body after HAPI has chosen the method and before it parses
 * the body ({@code SERVER_INCOMING_REQUEST_POST_PROCESSED}, outside any transaction);
 * HAPI parses the same bytes afterwards. A JSON body must be UTF-8 (HAPI would replace
 * what is not, and store other text than was sent), and hold no oversized number.
 */
final class BodyHooks {

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
		check(request.loadRequestContents());
		return true;
	}

	static void check(byte[] body) {
		if (body == null) {
			return;
		}
		int invalid = NumberScan.isJson(body) ? firstInvalidUtf8(body) : -1;
		if (invalid >= 0) {
			String message = "The JSON body is not valid UTF-8 (from byte " + invalid + "); send it encoded as UTF-8, "
					+ "as JSON requires.";
			InvalidRequestException refusal = new InvalidRequestException(message);
			refusal.setOperationOutcome(LimitError.INVALID_TEXT.outcome(message));
			throw refusal;
		}
		int at = NumberScan.firstOversizedNumber(body);
		if (at >= 0) {
			String number = new String(body, at, Math.min(40, body.length - at), StandardCharsets.UTF_8)
				.replaceAll("[^0-9.eE+-].*", "");
			String message = "The body holds a number with more than " + NumberScan.MAX
					+ " digits or an exponent beyond " + NumberScan.MAX + " at byte " + at + " ('" + number
					+ "...'); no FHIR value needs one.";
			InvalidRequestException refusal = new InvalidRequestException(message);
			refusal.setOperationOutcome(LimitError.DECIMAL_OUT_OF_RANGE.outcome(message));
			throw refusal;
		}
	}

}
