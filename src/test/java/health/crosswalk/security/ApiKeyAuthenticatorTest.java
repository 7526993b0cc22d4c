package health.crosswalk.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import health.crosswalk.security.ApiKeyFormat.ParsedKey;
import health.crosswalk.security.ApiKeyStore.StoredApiKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ApiKeyAuthenticatorTest {

	private final Map<String, StoredApiKey> keys = new HashMap<>();

	private final HospitalRef general = new HospitalRef("general", 7, true, "1");

	private final AtomicInteger argon2Checks = new AtomicInteger();

	private final AtomicLong nanos = new AtomicLong();

	private ApiKeyAuthenticator authenticator;

	private ParsedKey key;

	@BeforeEach
	void store() {
		this.key = ApiKeyFormat.generate();
		this.keys.put(this.key.keyId(), new StoredApiKey(this.key.keyId(), ApiKeyHashing.hash(this.key.secret()),
				Role.HOSPITAL_SYSTEM, "system/*.cruds", this.general, false));
		ApiKeyStore store = new ApiKeyStore() {
			@Override
			public Optional<StoredApiKey> findByKeyId(String keyId) {
				return Optional.ofNullable(ApiKeyAuthenticatorTest.this.keys.get(keyId));
			}

			@Override
			public void recordUse(String keyId) {
			}
		};
		this.authenticator = new ApiKeyAuthenticator(store, (secret, hash) -> {
			this.argon2Checks.incrementAndGet();
			return ApiKeyHashing.matches(secret, hash);
		}, this.nanos::get);
	}

	@Test
	void aKeyInSteadyUseIsHashedOnceAndAnIdleOneAgain() {
		for (int minute = 0; minute <= 60; minute += 10) {
			this.nanos.set(Duration.ofMinutes(minute).toNanos());
			assertThat(this.authenticator.authenticate(this.key.token()).subject()).isEqualTo(this.key.keyId());
		}
		assertThat(this.argon2Checks).as("used every 10 minutes for an hour").hasValue(1);
		this.nanos.set(Duration.ofMinutes(76).toNanos());
		this.authenticator.authenticate(this.key.token());
		assertThat(this.argon2Checks).as("after 16 minutes unused").hasValue(2);
	}

	@Test
	void theRightSecretGivesThePrincipal() {
		CrosswalkPrincipal principal = this.authenticator.authenticate(this.key.token());
		assertThat(principal.role()).isEqualTo(Role.HOSPITAL_SYSTEM);
		assertThat(principal.hospital().partitionId()).isEqualTo(7);
		assertThat(principal.scopes().permits("Patient", 'c')).isTrue();
		assertThat(this.authenticator.authenticate(this.key.token()).subject()).as("again, from the verified cache")
			.isEqualTo(this.key.keyId());
	}

	@Test
	void aWrongSecretIsRefusedEvenAfterTheRightOneWasSeen() {
		this.authenticator.authenticate(this.key.token());
		String wrong = new ParsedKey(this.key.keyId(), ApiKeyFormat.generate().secret()).token();
		assertThatExceptionOfType(CredentialException.class).isThrownBy(() -> this.authenticator.authenticate(wrong))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(SecurityError.INVALID_API_KEY));
	}

	@Test
	void aKeyWhoseSecretWasReplacedIsVerifiedAgain() {
		this.authenticator.authenticate(this.key.token());
		ParsedKey replaced = new ParsedKey(this.key.keyId(), ApiKeyFormat.generate().secret());
		StoredApiKey stored = this.keys.get(this.key.keyId());
		this.keys.put(this.key.keyId(), new StoredApiKey(stored.keyId(), ApiKeyHashing.hash(replaced.secret()),
				stored.role(), stored.scopes(), stored.hospital(), false));
		assertThatExceptionOfType(CredentialException.class)
			.isThrownBy(() -> this.authenticator.authenticate(this.key.token()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(SecurityError.INVALID_API_KEY));
		assertThat(this.authenticator.authenticate(replaced.token()).subject()).isEqualTo(this.key.keyId());
		assertThat(this.argon2Checks).as("the first secret, the refused one, the new one").hasValue(3);
	}

	@Test
	void revocationAndSuspensionTakeEffectAtOnce() {
		this.authenticator.authenticate(this.key.token());
		StoredApiKey stored = this.keys.get(this.key.keyId());
		this.keys.put(this.key.keyId(), new StoredApiKey(stored.keyId(), stored.secretHash(), stored.role(),
				stored.scopes(), new HospitalRef("general", 7, false, "1"), false));
		assertThatExceptionOfType(CredentialException.class)
			.isThrownBy(() -> this.authenticator.authenticate(this.key.token()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(SecurityError.HOSPITAL_SUSPENDED));

		this.keys.put(this.key.keyId(), new StoredApiKey(stored.keyId(), stored.secretHash(), stored.role(),
				stored.scopes(), stored.hospital(), true));
		assertThatExceptionOfType(CredentialException.class)
			.isThrownBy(() -> this.authenticator.authenticate(this.key.token()))
			.withMessageContaining("revoked");
	}

	@Test
	void malformedKeysAreRefused() {
		assertThatExceptionOfType(CredentialException.class).isThrownBy(() -> this.authenticator.authenticate("cwk_x"));
		assertThat(ApiKeyFormat.parse(this.key.token())).contains(this.key);
		assertThat(this.key.toString()).doesNotContain(this.key.secret());
	}

}
