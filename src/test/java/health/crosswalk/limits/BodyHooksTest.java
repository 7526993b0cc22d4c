package health.crosswalk.limits;

import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BodyHooksTest {

	private static final BodyHooks HOOKS = new BodyHooks(64, 64);

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
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> HOOKS.check("application/fhir+json",
					"{\"family\":\"Müller\"}".getBytes(StandardCharsets.ISO_8859_1)))
			.withMessageContaining("not valid UTF-8");
		// The bytes of UTF-16 are ASCII and NUL, valid UTF-8, and hide 1e999999 from a
		// byte scan; HAPI would decode them as declared.
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> HOOKS.check("application/fhir+json; charset=UTF-16LE",
					"{\"value\":1e999999}".getBytes(StandardCharsets.UTF_16LE)))
			.withMessageContaining("utf-16le");
		assertThatNoException().isThrownBy(() -> HOOKS.check("application/fhir+json; charset=\"UTF-8\"",
				"{\"family\":\"Müller\"}".getBytes(StandardCharsets.UTF_8)));
		assertThatNoException().isThrownBy(() -> HOOKS.check("application/fhir+json", new byte[0]));
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

	@Test
	void refusesJsonNestedDeeperThanTheLimitNamingIt() {
		byte[] deep = ("{\"resourceType\":\"Patient\",\"a\":" + "[".repeat(64) + "]".repeat(64) + "}")
			.getBytes(StandardCharsets.UTF_8);
		BaseServerResponseException refusal = catchThrowableOfType(() -> HOOKS.check("application/fhir+json", deep),
				BaseServerResponseException.class);
		assertThat(refusal.getStatusCode()).isEqualTo(400);
		assertThat(refusal.getMessage()).contains("crosswalk.limits.max-json-depth").contains("64");
		assertThat(((OperationOutcome) refusal.getOperationOutcome()).getIssueFirstRep()
			.getDetails()
			.getCodingFirstRep()
			.getCode()).isEqualTo("CW-LIM-008");
		assertThatNoException().isThrownBy(() -> new BodyHooks(65, 64).check("application/fhir+json", deep));
	}

	@Test
	void refusesAnOversizedNumberNamingIt() {
		BaseServerResponseException refusal = catchThrowableOfType(
				() -> HOOKS.check("application/json", "{\"value\":1e999999}".getBytes(StandardCharsets.UTF_8)),
				BaseServerResponseException.class);
		assertThat(refusal.getMessage()).contains("1e999999");
		assertThat(((OperationOutcome) refusal.getOperationOutcome()).getIssueFirstRep()
			.getDetails()
			.getCodingFirstRep()
			.getCode()).isEqualTo("CW-LIM-003");
	}

	@Test
	void readsFhirXmlBodiesForTheirDepthOnly() {
		assertThat(BodyHooks.isXml("application/fhir+xml; charset=UTF-8")).isTrue();
		assertThat(BodyHooks.isXml("application/xml")).isTrue();
		assertThat(BodyHooks.isXml("text/xml")).isTrue();
		assertThat(BodyHooks.isXml("application/xml+fhir")).isTrue();
		assertThat(BodyHooks.isXml("image/svg+xml")).as("a Binary's own content").isFalse();
		assertThat(BodyHooks.isXml("application/fhir+json")).isFalse();
		assertThat(BodyHooks.isXml(null)).isFalse();
	}

	@Test
	void refusesXmlNestedDeeperThanTheLimitInAnyCharset() {
		String deep = "<Patient xmlns=\"http://hl7.org/fhir\">" + "<extension url=\"x\">".repeat(64)
				+ "</extension>".repeat(64) + "</Patient>";
		for (java.nio.charset.Charset charset : new java.nio.charset.Charset[] { StandardCharsets.UTF_8,
				StandardCharsets.UTF_16LE, StandardCharsets.UTF_16 }) {
			BaseServerResponseException refusal = catchThrowableOfType(
					() -> HOOKS.checkXml("application/fhir+xml; charset=" + charset.name(), deep.getBytes(charset)),
					BaseServerResponseException.class);
			assertThat(refusal).as(charset.name()).isNotNull();
			assertThat(refusal.getStatusCode()).isEqualTo(400);
			assertThat(refusal.getMessage()).contains("crosswalk.limits.max-xml-depth");
			assertThat(((OperationOutcome) refusal.getOperationOutcome()).getIssueFirstRep()
				.getDetails()
				.getCodingFirstRep()
				.getCode()).isEqualTo("CW-LIM-008");
			String within = deep.replaceFirst("<extension url=\"x\">", "").replaceFirst("</extension>", "");
			assertThatNoException().as(charset.name())
				.isThrownBy(() -> HOOKS.checkXml("application/fhir+xml; charset=" + charset.name(),
						within.getBytes(charset)));
		}
	}

}
