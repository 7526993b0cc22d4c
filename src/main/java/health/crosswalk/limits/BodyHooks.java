package health.crosswalk.limits;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import health.crosswalk.server.Pipeline;

/**
 * Checks a FHIR request's raw body after HAPI has chosen the method and before it parses
 * the body ({@code SERVER_INCOMING_REQUEST_POST_PROCESSED}, outside any transaction);
 * HAPI parses the same bytes afterwards. A JSON body must be UTF-8, declared or not (HAPI
 * would replace what is not, and store other text than was sent, or decode another
 * charset past this check), hold no oversized number and nest no deeper than the limit
 * ({@link JsonScan}, one pass). A FHIR XML body may nest its elements no deeper than its
 * limit ({@link XmlScan}). Other bodies (a Binary's content) are not read.
 */
final class BodyHooks {

	/** Characters of markup, written alike by every charset an XML body is scanned in. */
	private static final String MARKUP = "<>/!?-[]\"'";

	private final int maxJsonDepth;

	private final int maxXmlDepth;

	/**
	 * The hooks with their limits.
	 * @param maxJsonDepth the most objects and arrays a value of a JSON body may be
	 * nested in
	 * @param maxXmlDepth the most elements an element of an XML body may be nested in,
	 * itself included
	 */
	BodyHooks(int maxJsonDepth, int maxXmlDepth) {
		this.maxJsonDepth = maxJsonDepth;
		this.maxXmlDepth = maxXmlDepth;
	}

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

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = Pipeline.LIMITS)
	boolean beforeParsing(RequestDetails request) {
		String contentType = request.getHeader("Content-Type");
		// As HAPI decides how to parse the body (every Content-Type value, leniently:
		// text/json and application/json+fhir are JSON to it), so no form it parses
		// escapes the scan.
		EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
		if (encoding == EncodingEnum.JSON || isJson(contentType)) {
			check(contentType, request.loadRequestContents());
		}
		else if (encoding == EncodingEnum.XML || isXml(contentType)) {
			checkXml(contentType, request.loadRequestContents());
		}
		return true;
	}

	/**
	 * Whether HAPI parses a request's body as FHIR XML (application/fhir+xml,
	 * application/xml, text/xml and their older forms; not a Binary's image/svg+xml).
	 * @param contentType the Content-Type header, or null
	 * @return true for an XML media type
	 */
	static boolean isXml(String contentType) {
		return contentType != null && EncodingEnum.forContentType(contentType) == EncodingEnum.XML;
	}

	void checkXml(String contentType, byte[] body) {
		if (body == null) {
			return;
		}
		byte[] markup = inAsciiMarkup(contentType, body);
		int at = XmlScan.firstTooDeep(markup, this.maxXmlDepth);
		if (at >= 0) {
			throw LimitError.TOO_DEEP.exception("The XML body nests elements deeper than the limit of "
					+ this.maxXmlDepth + " levels (crosswalk.limits.max-xml-depth), from byte " + at
					+ ((markup != body) ? " of its UTF-8 form" : "") + ".");
		}
	}

	/**
	 * The body in a charset that writes markup in ASCII: as sent (UTF-8, ISO-8859-1 and
	 * the like), or decoded as declared (UTF-16) and encoded as UTF-8, as HAPI decodes
	 * it.
	 */
	private static byte[] inAsciiMarkup(String contentType, byte[] body) {
		String name = charset(contentType);
		if (name == null) {
			return body;
		}
		Charset charset;
		try {
			charset = Charset.forName(name);
		}
		catch (IllegalArgumentException ex) {
			// HAPI cannot decode it either, and refuses it.
			return body;
		}
		if (Arrays.equals(MARKUP.getBytes(charset), MARKUP.getBytes(StandardCharsets.US_ASCII))) {
			return body;
		}
		return new String(body, charset).getBytes(StandardCharsets.UTF_8);
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

	void check(String contentType, byte[] body) {
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
		JsonScan.Finding finding = JsonScan.firstProblem(body, this.maxJsonDepth);
		if (finding == null) {
			return;
		}
		int at = finding.offset();
		if (finding.problem() == JsonScan.Problem.TOO_DEEP) {
			String message = "The JSON body nests objects and arrays deeper than the limit of " + this.maxJsonDepth
					+ " levels (crosswalk.limits.max-json-depth), from byte " + at + ".";
			throw LimitError.TOO_DEEP.exception(message);
		}
		String number = new String(body, at, Math.min(40, body.length - at), StandardCharsets.UTF_8)
			.replaceAll("[^0-9.eE+-].*", "");
		String message = "The body holds a number with more than " + JsonScan.MAX_NUMBER
				+ " digits or an exponent beyond " + JsonScan.MAX_NUMBER + " at byte " + at + " ('" + number
				+ "...'); no FHIR value needs one.";
		throw LimitError.DECIMAL_OUT_OF_RANGE.exception(message);
	}

}
