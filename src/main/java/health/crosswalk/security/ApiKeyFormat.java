package health.crosswalk.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of Crosswalk API keys: {@code cwk_<id>_<secret>}. The prefix tells keys from
 * JWTs; the id finds the stored hash; the secret carries 256 random bits.
 */
public final class ApiKeyFormat {

	/** Every API key starts with this. */
	public static final String PREFIX = "cwk_";

	private static final Pattern KEY = Pattern.compile("cwk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})");

	private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private ApiKeyFormat() {
	}

	/**
	 * A new random key.
	 * @return id and secret
	 */
	public static ParsedKey generate() {
		StringBuilder id = new StringBuilder(16);
		for (int i = 0; i < 16; i++) {
			id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
		}
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		return new ParsedKey(id.toString(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
	}

	/**
	 * Splits a presented key.
	 * @param presented what the client sent after {@code Bearer}
	 * @return id and secret, or empty when it is not a well-formed key
	 */
	public static Optional<ParsedKey> parse(String presented) {
		Matcher matcher = KEY.matcher(presented);
		return matcher.matches() ? Optional.of(new ParsedKey(matcher.group(1), matcher.group(2))) : Optional.empty();
	}

	/**
	 * An API key split into its parts.
	 *
	 * @param keyId the public id
	 * @param secret the secret
	 */
	public record ParsedKey(String keyId, String secret) {

		/**
		 * The key as the client sends it.
		 * @return {@code cwk_<id>_<secret>}
		 */
		public String token() {
			return PREFIX + this.keyId + "_" + this.secret;
		}

		@Override
		public String toString() {
			return "ParsedKey[keyId=" + this.keyId + ", secret=<hidden>]";
		}

	}

}
