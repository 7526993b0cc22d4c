package health.crosswalk.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdFilterTest {

	@Test
	void aShortPlainIdIsKept() {
		assertThat(RequestIdFilter.requestId("trace-4711")).isEqualTo("trace-4711");
		assertThat(RequestIdFilter.requestId(" a.b_c-D ")).isEqualTo("a.b_c-D");
		assertThat(RequestIdFilter.requestId("0123456789abcdef")).isEqualTo("0123456789abcdef");
	}

	@Test
	void anyOtherIdIsReplacedByAFreshOneHapiStoresWhole() {
		for (String sent : new String[] { null, "", "0123456789abcdefg", "has space", "a/b", "<script>",
				"550e8400-e29b-41d4-a716-446655440000" }) {
			String id = RequestIdFilter.requestId(sent);
			assertThat(id).as(String.valueOf(sent)).matches("[A-Za-z0-9]{16}").isNotEqualTo(sent);
		}
		assertThat(RequestIdFilter.requestId(null)).isNotEqualTo(RequestIdFilter.requestId(null));
	}

}
