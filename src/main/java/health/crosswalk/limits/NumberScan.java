package health.crosswalk.limits;

/**
 * Finds numbers in a request body that no parser should be handed: more digits or a
 * larger exponent than {@link #MAX} allows. HAPI turns a decimal such as {@code 1e999999}
 * into its million digits while parsing, which takes seconds of CPU, before any hook sees
 * the resource; this scan runs on the raw bytes before that.
 *
 * <p>
 * It reads JSON bodies, and in them the numbers outside strings (FHIR's decimals are JSON
 * numbers; the strict parser refuses them as strings). XML needs no scan: HAPI's XML
 * parser reads a decimal as it is written, without expanding it. Numbers within these
 * bounds are then checked exactly by {@link ResourceLimits}.
 */
final class NumberScan {

	/** Most digits, and the largest exponent, a number in a body may have. */
	static final int MAX = 1000;

	private static final long OVERSIZED = 1L << 32;

	private NumberScan() {
	}

	/**
	 * The first oversized number.
	 * @param body the raw body
	 * @return its offset, or -1
	 */
	static int firstOversizedNumber(byte[] body) {
		return inJson(body);
	}

	/** JSON: numbers outside strings, where the grammar delimits them. */
	private static int inJson(byte[] body) {
		boolean inString = false;
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
			else if (isDigit(b)) {
				long number = scanNumber(body, i);
				if (oversized(number)) {
					return i;
				}
				i = end(number) - 1;
			}
		}
		return -1;
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
		boolean oversized = digits > MAX;
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
			oversized |= exponent > MAX;
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

}
