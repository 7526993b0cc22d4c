package health.crosswalk.limits;

import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.limits.JsonScan.Finding;
import health.crosswalk.limits.JsonScan.Problem;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonScanTest {

	private static final int DEPTH = 64;

	@ParameterizedTest
	@ValueSource(strings = { "{\"value\":1e999999}", "{\"value\":-1E-999999}", "{\"value\":1.5e+1001}",
			"[1,2,3e99999999999999999999]", "  {\"a\":[{\"value\":7E5000}]}" })
	void findsNumbersWithHugeExponents(String body) {
		Finding found = JsonScan.firstProblem(bytes(body), DEPTH);
		assertThat(found.problem()).isEqualTo(Problem.OVERSIZED_NUMBER);
		assertThat(found.offset()).isPositive();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"value\":1e1000}", "{\"value\":72.5,\"unit\":\"/min\"}", "{\"id\":\"1e99999\"}",
			"{\"fullUrl\":\"urn:uuid:4e3461e6-5600-4000-8000-000000000000\"}", "{\"id\":\"4e346100\"}",
			"{\"div\":\"x \\\" 1e99999\"}", "" })
	void leavesOrdinaryBodiesAlone(String body) {
		assertThat(JsonScan.firstProblem(bytes(body), DEPTH)).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1000, 1001 })
	void boundsTheDigitsOfANumber(int digits) {
		Finding found = JsonScan.firstProblem(bytes("{\"value\":" + "9".repeat(digits) + "}"), DEPTH);
		assertThat(found != null).isEqualTo(digits > JsonScan.MAX_NUMBER);
	}

	@ParameterizedTest
	@ValueSource(ints = { 63, 64, 65, 100_000 })
	void boundsTheNestingOfObjectsAndArrays(int depth) {
		String body = "{\"a\":".repeat(depth / 2) + "[".repeat(depth - depth / 2) + "1" + "]".repeat(depth - depth / 2)
				+ "}".repeat(depth / 2);
		Finding found = JsonScan.firstProblem(bytes(body), DEPTH);
		if (depth <= DEPTH) {
			assertThat(found).isNull();
		}
		else {
			assertThat(found.problem()).isEqualTo(Problem.TOO_DEEP);
			// The bracket that opens level 65.
			assertThat(body.substring(0, found.offset()).chars().filter((c) -> c == '{' || c == '[').count())
				.isEqualTo(DEPTH);
		}
	}

	@Test
	void countsDepthNotBracketsInAll() {
		// Many siblings, each shallow: depth 4 however many there are.
		String siblings = "{\"entry\":[" + "{\"a\":[1]},".repeat(10_000) + "{}]}";
		assertThat(JsonScan.firstProblem(bytes(siblings), 4)).isNull();
		assertThat(JsonScan.firstProblem(bytes(siblings), 3).problem()).isEqualTo(Problem.TOO_DEEP);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"div\":\"" + "[[[[[[[[[[" + "\"}", "{\"div\":\"\\\"[[[[[[[[[[{{{{\"}",
			"{\"a\":[[[[\"]]]]]]]]]]]]]]]]\"]]]]}" })
	void ignoresBracketsInStrings(String body) {
		assertThat(JsonScan.firstProblem(bytes(body), 5)).isNull();
	}

	@Test
	void admitsAQuestionnaireWithItemsNestedTenDeepInATransaction() {
		Questionnaire questionnaire = new Questionnaire()
			.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
		QuestionnaireItemComponent item = questionnaire.addItem();
		for (int level = 1; level <= 10; level++) {
			item.setLinkId("q" + level).setType(Questionnaire.QuestionnaireItemType.GROUP);
			item.addCode(new Coding("http://loinc.org", "8867-4", null));
			item = item.addItem();
		}
		item.setLinkId("leaf").setType(Questionnaire.QuestionnaireItemType.STRING);
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		transaction.addEntry()
			.setResource(questionnaire)
			.getRequest()
			.setMethod(Bundle.HTTPVerb.POST)
			.setUrl("Questionnaire");
		byte[] json = bytes(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(transaction));
		assertThat(JsonScan.firstProblem(json, DEPTH)).isNull();
		// Bundle, entry, entry[0], resource (4), then two
		// levels per item (24), its code (26).
		assertThat(JsonScan.firstProblem(json, 26)).isNull();
		assertThat(JsonScan.firstProblem(json, 25)).isNotNull();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
