package health.crosswalk.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParameterFilterTest {

	@Test
	void queriesMustDecodeToUtf8() {
		assertThat(ParameterFilter.isUtf8(null)).isTrue();
		assertThat(ParameterFilter.isUtf8("family=M%C3%BCller&given=J%C3%B6rg")).isTrue();
		assertThat(ParameterFilter.isUtf8("code=http://loinc.org%7C8867-4")).isTrue();
		assertThat(ParameterFilter.isUtf8("family=M%FCller")).isFalse();
		assertThat(ParameterFilter.isUtf8("family=%e9")).isFalse();
		assertThat(ParameterFilter.isUtf8("family=%ED%A0%80")).as("an encoded lone surrogate").isFalse();
	}

	@Test
	void countsAreWholeNumbersFromZero() {
		assertThat(ParameterFilter.isCount("0", Integer.MAX_VALUE)).isTrue();
		assertThat(ParameterFilter.isCount("2147483647", Integer.MAX_VALUE)).isTrue();
		assertThat(ParameterFilter.isCount("2147483648", Integer.MAX_VALUE)).isFalse();
		assertThat(ParameterFilter.isCount("1073741824", 1 << 30)).isTrue();
		assertThat(ParameterFilter.isCount("1073741825", 1 << 30)).isFalse();
		assertThat(ParameterFilter.isCount("-1", Integer.MAX_VALUE)).isFalse();
		assertThat(ParameterFilter.isCount("abc", Integer.MAX_VALUE)).isFalse();
		assertThat(ParameterFilter.isCount("", Integer.MAX_VALUE)).isFalse();
		assertThat(ParameterFilter.isCount("\u0661", Integer.MAX_VALUE)).as("an Arabic-Indic one").isFalse();
	}

}
