package health.crosswalk.limits;

import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * Checks a FHIR request's raw body after HAPI has chosen the method and before it parses
 * the body ({@code SERVER_INCOMING_REQUEST_POST_PROCESSED}, outside any transaction);
 * HAPI parses the same bytes afterwards.
 */
final class BodyHooks {

	@Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
	boolean beforeParsing(RequestDetails request) {
		check(request.loadRequestContents());
		return true;
	}

	static void check(byte[] body) {
		if (body == null) {
			return;
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
