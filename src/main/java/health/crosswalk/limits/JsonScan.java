package health.crosswalk.limits;

/**
 * One pass over a raw JSON body for what no parser should be handed: numbers with more
 * digits or a larger exponent than {@link #MAX_NUMBER} allows, and objects and arrays
 * nested deeper than a limit. HAPI turns a decimal such as {@code 1e999999} into its
 * million digits while parsing, which takes seconds of CPU, and builds every level of a
 * nested body before any hook sees the resource; this scan runs on the raw bytes before
 * that.
 *
 * <p>
 * It reads JSON bodies, and in them what is outside strings: numbers (FHIR's decimals are
 * JSON numbers; the strict parser refuses them as strings) and the brackets
 * <code>{</code> and <code>[</code>. XML needs no number scan: HAPI's XML parser reads a
 * decimal as it is written, without expanding it. Numbers within these bounds are then
 * checked exactly by {@link ResourceLimits}. Malformed JSON (unbalanced brackets) is left
 * to the parser.
 */
final class JsonScan {

	/** Most digits, and the largest exponent, a number in a body may have. */
	static final int MAX_NUMBER = 1000;

	private static final long OVERSIZED = 1L << 32;

	private JsonScan() {
	}

	/**
	 * The first thing in a JSON body beyond the limits.
	 * @param body the raw body
	 * @param maxDepth the most objects and arrays one value may be nested in (the
	 * outermost object is at depth 1)
	 * @return what and where, or null when there is nothing
	 */
	static Finding firstProblem(byte[] body, int maxDepth) {
		boolean inString = false;
		int depth = 0;
		for (int i = 0; i < body.length; i++) {
			byte b = body[i];
			if (inString) {
				if (b == '\\') {
					i++;
				}
				else if (b == '"') {
					inString = false;
				}
			}
			else if (b == '"') {
				inString = true;
			}
			else if (b == '{' || b == '[') {
				depth++;
				if (depth > maxDepth) {
					return new Finding(Problem.TOO_DEEP, i);
				}
			}
			else if (b == '}' || b == ']') {
				depth = Math.max(0, depth - 1);
			}
			else if (isDigit(b)) {
				long number = scanNumber(body, i);
				if (oversized(number)) {
					return new Finding(Problem.OVERSIZED_NUMBER, i);
				}
				i = end(number) - 1;
			}
		}
		return null;
	}

	/**
	 * Reads the number starting at a digit.
	 * @return the offset after it, with {@link #OVERSIZED} set if it is oversized
	 */
	private static long scanNumber(byte[] body, int start) {
		int n = body.length;
		int i = start;
		int digits = 0;
		while (i < n && isDigit(body[i])) {
			digits++;
			i++;
		}
		if (i < n && body[i] == '.') {
			i++;
			while (i < n && isDigit(body[i])) {
				digits++;
				i++;
			}
		}
		boolean oversized = digits > MAX_NUMBER;
		if (i + 1 < n && (body[i] == 'e' || body[i] == 'E')) {
			int j = i + 1;
			if (body[j] == '+' || body[j] == '-') {
				j++;
			}
			long exponent = 0;
			while (j < n && isDigit(body[j])) {
				exponent = Math.min(exponent * 10 + (body[j] - '0'), Integer.MAX_VALUE);
				j++;
			}
			oversized |= exponent > MAX_NUMBER;
			i = j;
		}
		return oversized ? (i | OVERSIZED) : i;
	}

	private static boolean oversized(long number) {
		return (number & OVERSIZED) != 0;
	}

	private static int end(long number) {
		return (int) (number & ~OVERSIZED);
	}

	private static boolean isDigit(byte b) {
		return b >= '0' && b <= '9';
	}

	/**
	 * What the scan can find.
	 */
	enum Problem {

		/** A number beyond {@link #MAX_NUMBER} digits or exponent. */
		OVERSIZED_NUMBER,

		/** An object or array nested deeper than the limit. */
		TOO_DEEP

	}

	/**
	 * A problem and where it starts.
	 *
	 * @param problem what was found
	 * @param offset the byte at which it starts (the number's first digit, the bracket
	 * one level too deep)
	 */
	record Finding(Problem problem, int offset) {
	}

}
