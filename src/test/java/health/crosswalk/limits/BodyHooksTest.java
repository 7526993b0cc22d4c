package health.crosswalk.limits;

import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class BodyHooksTest {

	@Test
	void findsWhereABodyStopsBeingUtf8() {
		assertThat(BodyHooks.firstInvalidUtf8("{\"family\":\"Müller 💓\"}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(-1);
		byte[] latin1 = "{\"family\":\"Müller\"}".getBytes(StandardCharsets.ISO_8859_1);
		assertThat(BodyHooks.firstInvalidUtf8(latin1)).isEqualTo(12);
		byte[] long_ = ("{\"text\":\"" + "x".repeat(20_000) + "\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);
		assertThat(BodyHooks.firstInvalidUtf8(long_)).isEqualTo(20_009);
	}

	@Test
	void refusesJsonThatIsNotUtf8OrDeclaredAsAnotherCharset() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> BodyHooks.check("application/fhir+json",
					"{\"family\":\"Müller\"}".getBytes(StandardCharsets.ISO_8859_1)))
			.withMessageContaining("not valid UTF-8");
		// The bytes of UTF-16 are ASCII and NUL, valid UTF-8, and hide 1e999999 from a
		// byte scan; HAPI would decode them as declared.
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> BodyHooks.check("application/fhir+json; charset=UTF-16LE",
					"{\"value\":1e999999}".getBytes(StandardCharsets.UTF_16LE)))
			.withMessageContaining("utf-16le");
		assertThatNoException().isThrownBy(() -> BodyHooks.check("application/fhir+json; charset=\"UTF-8\"",
				"{\"family\":\"Müller\"}".getBytes(StandardCharsets.UTF_8)));
		assertThatNoException().isThrownBy(() -> BodyHooks.check("application/fhir+json", new byte[0]));
	}

	@Test
	void readsOnlyJsonBodies() {
		assertThat(BodyHooks.isJson("application/fhir+json; charset=utf-8")).isTrue();
		assertThat(BodyHooks.isJson("application/json-patch+json")).isTrue();
		assertThat(BodyHooks.isJson("application/JSON")).isTrue();
		assertThat(BodyHooks.isJson("application/fhir+xml")).isFalse();
		assertThat(BodyHooks.isJson("application/pdf")).as("a Binary's own content").isFalse();
		assertThat(BodyHooks.isJson(null)).isFalse();
	}

}
