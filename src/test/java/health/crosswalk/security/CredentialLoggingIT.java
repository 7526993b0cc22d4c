package health.crosswalk.security;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.TestIdentityProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials never reach the log, whether they are accepted or refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialLoggingIT extends CrosswalkIntegrationTest {

	@Test
	void keysAndTokensAreNeverLogged(CapturedOutput output) {
		FhirHttp http = new FhirHttp(serverUrl());
		String key = newHospital().key();
		String wrongKey = key.substring(0, key.length() - 6) + "ZZZZZZ";
		String token = TestIdentityProvider.get().token(hospital().slug(), "clinician", "user/*.rs");
		String badToken = token.substring(0, token.length() - 6) + "ZZZZZZ";

		http.get("/fhir/Patient", key);
		http.send("POST", "/fhir/Patient", key, "application/fhir+json", "{\"resourceType\":\"Patient\",");
		http.get("/fhir/Patient", wrongKey);
		http.get("/fhir/Patient", token);
		http.get("/fhir/Patient", badToken);

		String secret = key.substring(21);
		assertThat(output.getAll()).doesNotContain(secret)
			.doesNotContain(wrongKey.substring(21))
			.doesNotContain(token)
			.doesNotContain(badToken.substring(badToken.lastIndexOf('.')));
	}

}
