package health.crosswalk.limits;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class LimitsPropertiesTest {

	@Test
	void theDefaultsAreValid() {
		assertThatNoException().isThrownBy(() -> properties(20000));
	}

	@Test
	void bundleEntriesHaveALowerBound() {
		assertThatNoException().isThrownBy(() -> properties(1000));
		assertThatIllegalArgumentException().isThrownBy(() -> properties(999))
			.withMessageContaining("CROSSWALK_LIMITS_MAX_BUNDLE_ENTRIES");
	}

	private static LimitsProperties properties(int maxBundleEntries) {
		return new LimitsProperties(DataSize.ofMegabytes(32), 1048576, 64, 100, 8192, maxBundleEntries);
	}

}
