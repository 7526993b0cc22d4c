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
	void refusesJsonThatIsNotUtf8ButLeavesXmlToItsDeclaration() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> BodyHooks.check("{\"family\":\"Müller\"}".getBytes(StandardCharsets.ISO_8859_1)))
			.withMessageContaining("not valid UTF-8");
		assertThatNoException().isThrownBy(() -> BodyHooks
			.check("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Patient/>".getBytes(StandardCharsets.ISO_8859_1)));
		assertThatNoException().isThrownBy(() -> BodyHooks.check(new byte[0]));
	}

}
