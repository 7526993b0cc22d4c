package health.crosswalk.limits;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NumberScanTest {

	@ParameterizedTest
	@ValueSource(strings = { "{\"value\":1e999999}", "{\"value\":-1E-999999}", "{\"value\":1.5e+1001}",
			"[1,2,3e99999999999999999999]", "  {\"a\":[{\"value\":7E5000}]}" })
	void findsNumbersWithHugeExponents(String body) {
		assertThat(NumberScan.firstOversizedNumber(bytes(body))).isPositive();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"value\":1e1000}", "{\"value\":72.5,\"unit\":\"/min\"}", "{\"id\":\"1e99999\"}",
			"{\"fullUrl\":\"urn:uuid:4e3461e6-5600-4000-8000-000000000000\"}", "{\"id\":\"4e346100\"}",
			"{\"div\":\"x \\\" 1e99999\"}", "" })
	void leavesOrdinaryBodiesAlone(String body) {
		assertThat(NumberScan.firstOversizedNumber(bytes(body))).isEqualTo(-1);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1000, 1001 })
	void boundsTheDigitsOfANumber(int digits) {
		int found = NumberScan.firstOversizedNumber(bytes("{\"value\":" + "9".repeat(digits) + "}"));
		assertThat(found >= 0).isEqualTo(digits > NumberScan.MAX);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
