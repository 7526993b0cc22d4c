package health.crosswalk.security;

import java.util.Map;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Hashes API key secrets with Argon2id (Spring Security's encoder, Bouncy Castle
 * underneath). The stored form names its algorithm, {@code {argon2}...}, so the algorithm
 * can change without invalidating existing keys.
 */
public final class ApiKeyHashing {

	/** The algorithm new hashes use. */
	public static final String ALGORITHM = "argon2id";

	private static final PasswordEncoder ENCODER = new DelegatingPasswordEncoder("argon2",
			Map.of("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));

	private ApiKeyHashing() {
	}

	/**
	 * The stored form of a secret.
	 * @param secret the secret part of a key
	 * @return its hash, prefixed with the algorithm
	 */
	public static String hash(String secret) {
		return ENCODER.encode(secret);
	}

	static boolean matches(String secret, String storedHash) {
		return ENCODER.matches(secret, storedHash);
	}

}
