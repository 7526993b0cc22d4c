package health.crosswalk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in OpenID Connect provider for tests: an RSA key made by the test, its JWKS
 * served over HTTP on localhost, and tokens signed with it. Crosswalk validates them with
 * its real decoder; nothing is mocked.
 */
public final class TestIdentityProvider {

	/** The issuer Crosswalk is configured to trust in tests. */
	public static final String ISSUER = "https://idp.crosswalk.test/realms/test";

	/** The audience Crosswalk expects. */
	public static final String AUDIENCE = "crosswalk";

	private static TestIdentityProvider instance;

	private final RSAKey signingKey;

	private final RSAKey strangerKey;

	private final HttpServer server;

	private TestIdentityProvider() throws IOException {
		this.signingKey = rsaKey("test-signing-key");
		this.strangerKey = rsaKey("test-signing-key");
		byte[] jwks = new JWKSet(this.signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/jwks", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(jwks);
			}
		});
		this.server.setExecutor(null);
		this.server.start();
	}

	/**
	 * The provider shared by every test of the JVM, started on first use.
	 * @return the provider
	 */
	public static synchronized TestIdentityProvider get() {
		if (instance == null) {
			try {
				instance = new TestIdentityProvider();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot start the test identity provider", ex);
			}
		}
		return instance;
	}

	/**
	 * Where the provider's JWKS is served.
	 * @return the JWKS URL
	 */
	public String jwkSetUri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks";
	}

	/**
	 * A valid access token for a user of a hospital.
	 * @param hospital the hospital slug, or null
	 * @param role the Crosswalk role, or null
	 * @param scope SMART scopes, space-separated
	 * @return the signed token
	 */
	public String token(String hospital, String role, String scope) {
		return sign(this.signingKey, claims(hospital, role, scope, ISSUER, AUDIENCE, Duration.ofMinutes(5)));
	}

	/**
	 * A token with chosen issuer, audience and lifetime, signed by the trusted key.
	 * @param claims the claims
	 * @return the signed token
	 */
	public String token(JWTClaimsSet claims) {
		return sign(this.signingKey, claims);
	}

	/**
	 * A token signed by a key the server does not trust (same key id).
	 * @param claims the claims
	 * @return the signed token
	 */
	public String tokenSignedByStranger(JWTClaimsSet claims) {
		return sign(this.strangerKey, claims);
	}

	/**
	 * Claims of a token.
	 * @param hospital hospital slug or null
	 * @param role role or null
	 * @param scope scopes
	 * @param issuer issuer
	 * @param audience audience
	 * @param lifetime time to expiry; negative for an expired token
	 * @return the claims
	 */
	public static JWTClaimsSet claims(String hospital, String role, String scope, String issuer, String audience,
			Duration lifetime) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer)
			.audience(audience)
			.subject("user-" + UUID.randomUUID())
			.issueTime(Date.from(now.minusSeconds(120)))
			.expirationTime(Date.from(now.plus(lifetime)))
			.jwtID(UUID.randomUUID().toString())
			.claim("scope", scope);
		for (Map.Entry<String, String> claim : Map
			.of("crosswalk_hospital", String.valueOf(hospital), "crosswalk_role", String.valueOf(role))
			.entrySet()) {
			if (!claim.getValue().equals("null")) {
				claims.claim(claim.getKey(), claim.getValue());
			}
		}
		return claims.build();
	}

	private static String sign(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey rsaKey(String keyId) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
				.keyID(keyId)
				.build();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
