package health.crosswalk.limits;

/**
 * Finds where a raw XML body nests elements deeper than a limit, in one pass over its
 * bytes (UTF-8 or another charset that writes markup in ASCII). Woodstox, HAPI's XML
 * parser, stops at 1,000 levels of its own, but far fewer are enough to break what comes
 * after parsing: a Patient nested 450 extensions deep overflowed the validator's stack,
 * one 600 deep could not be written as JSON for storage (Jackson stops at 1,000 levels),
 * both answered 500 before this check.
 *
 * <p>
 * Comments, CDATA sections, processing instructions and declarations are skipped, and
 * quoted attribute values (which may hold {@code >}); a self-closing element
 * ({@code <value value="x"/>}) counts as a level while it is read but leaves none open.
 * Malformed XML is left to the parser.
 */
final class XmlScan {

	private XmlScan() {
	}

	/**
	 * Where the body first nests deeper than the limit.
	 * @param body the raw body
	 * @param maxDepth the most elements one may be nested in, itself included (the root
	 * element is at depth 1)
	 * @return the offset of the start tag one level too deep, or -1
	 */
	static int firstTooDeep(byte[] body, int maxDepth) {
		int depth = 0;
		int n = body.length;
		for (int i = 0; i < n; i++) {
			if (body[i] != '<') {
				continue;
			}
			if (startsWith(body, i, "<!--")) {
				i = end(body, i + 4, "-->");
			}
			else if (startsWith(body, i, "<![CDATA[")) {
				i = end(body, i + 9, "]]>");
			}
			else if (startsWith(body, i, "<?")) {
				i = end(body, i + 2, "?>");
			}
			else if (startsWith(body, i, "<!")) {
				i = end(body, i + 2, ">");
			}
			else if (startsWith(body, i, "</")) {
				depth = Math.max(0, depth - 1);
				i = end(body, i + 2, ">");
			}
			else {
				if (depth + 1 > maxDepth) {
					return i;
				}
				int close = endOfStartTag(body, i + 1);
				if (close < 0) {
					return -1;
				}
				if (body[close - 1] != '/') {
					depth++;
				}
				i = close;
			}
			if (i < 0) {
				return -1;
			}
		}
		return -1;
	}

	/** The offset of the {@code >} closing a start tag, past quoted values, or -1. */
	private static int endOfStartTag(byte[] body, int from) {
		byte quote = 0;
		for (int i = from; i < body.length; i++) {
			byte b = body[i];
			if (quote != 0) {
				if (b == quote) {
					quote = 0;
				}
			}
			else if (b == '"' || b == '\'') {
				quote = b;
			}
			else if (b == '>') {
				return i;
			}
		}
		return -1;
	}

	/** The offset of the last byte of {@code marker} from {@code from} on, or -1. */
	private static int end(byte[] body, int from, String marker) {
		for (int i = from; i + marker.length() <= body.length; i++) {
			if (startsWith(body, i, marker)) {
				return i + marker.length() - 1;
			}
		}
		return -1;
	}

	private static boolean startsWith(byte[] body, int at, String marker) {
		if (at + marker.length() > body.length) {
			return false;
		}
		for (int j = 0; j < marker.length(); j++) {
			if (body[at + j] != marker.charAt(j)) {
				return false;
			}
		}
		return true;
	}

}
