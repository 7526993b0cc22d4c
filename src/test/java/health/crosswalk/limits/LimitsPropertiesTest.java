package health.crosswalk.limits;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class LimitsPropertiesTest {

	private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

	@Test
	void elementsAndTransactionTimeAreBounded() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LimitsProperties(DataSize.ofMegabytes(32), 1048576, 64, 100, 8192, 20000, 64, 64, 999,
					TEN_MINUTES))
			.withMessageContaining("CROSSWALK_LIMITS_MAX_ELEMENTS");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LimitsProperties(DataSize.ofMegabytes(32), 1048576, 64, 100, 8192, 20000, 64, 64,
					50000, Duration.ofHours(2)))
			.withMessageContaining("CROSSWALK_LIMITS_MAX_TRANSACTION_TIME");
	}

	@Test
	void theDefaultsAreValid() {
		assertThatNoException().isThrownBy(() -> properties(20000, 64));
	}

	@Test
	void bundleEntriesHaveALowerBound() {
		assertThatNoException().isThrownBy(() -> properties(1000, 64));
		assertThatIllegalArgumentException().isThrownBy(() -> properties(999, 64))
			.withMessageContaining("CROSSWALK_LIMITS_MAX_BUNDLE_ENTRIES");
	}

	@Test
	void depthsAreBetweenAnOrdinaryBundleAndWhatTheValidatorCanTake() {
		assertThatNoException().isThrownBy(() -> properties(20000, 32));
		assertThatNoException().isThrownBy(() -> properties(20000, 200));
		assertThatIllegalArgumentException().isThrownBy(() -> properties(20000, 31))
			.withMessageContaining("CROSSWALK_LIMITS_MAX_JSON_DEPTH");
		assertThatIllegalArgumentException().isThrownBy(() -> properties(20000, 201))
			.withMessageContaining("crosswalk.limits.max-json-depth");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LimitsProperties(DataSize.ofMegabytes(32), 1048576, 64, 100, 8192, 20000, 64, 201,
					50000, TEN_MINUTES))
			.withMessageContaining("crosswalk.limits.max-xml-depth");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LimitsProperties(DataSize.ofMegabytes(32), 1048576, 64, 100, 8192, 20000, 64, 31,
					50000, TEN_MINUTES))
			.withMessageContaining("CROSSWALK_LIMITS_MAX_XML_DEPTH");
	}

	private static LimitsProperties properties(int maxBundleEntries, int maxJsonDepth) {
		return new LimitsProperties(DataSize.ofMegabytes(32), 1048576, 64, 100, 8192, maxBundleEntries, maxJsonDepth,
				64, 50000, TEN_MINUTES);
	}

}
