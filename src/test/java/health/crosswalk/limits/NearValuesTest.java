package health.crosswalk.limits;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NearValuesTest {

	@ParameterizedTest
	@ValueSource(strings = { "1|2", "42.36|-71.06|10", "42.36|-71.06|10|km", "42.36|-71.06||km", "-90|180", "90|-180|0",
			"1|2,3|4", " 1 | 2 " })
	void admitsPositionsHapiCanSearch(String value) {
		assertThat(NearValues.problem(value)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "|", "||", "1", "1|2|3|km|x", "x|2", "1|y", "|2", "91|0", "0|181", "1|2|-5",
			"1|2|NaN", "1|2|Infinity", "1|2,abc", "1|2," })
	void refusesWhatHapiWouldFailOnOrNoPlaceHas(String value) {
		assertThat(NearValues.problem(value)).startsWith("The near value '" + value + "' ");
	}

}
