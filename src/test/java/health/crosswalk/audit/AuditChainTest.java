package health.crosswalk.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's verdict words and horizon arithmetic, without a database.
 */
class AuditChainTest {

	@Test
	void intactOnlyWhenEveryRecordOfThePeriodWasChecked() {
		assertThat(new AuditChain.Verdict(5, 1L, 5L, null, 0, null, 0).result()).isEqualTo("intact");
		assertThat(new AuditChain.Verdict(5, 1L, 5L, null, 2, null, 0).result()).isEqualTo("incomplete");
		assertThat(new AuditChain.Verdict(0, null, null, null, 3, null, 0).result()).isEqualTo("incomplete");
		assertThat(
				new AuditChain.Verdict(2, 1L, 3L, new AuditChain.Broken(3, null, "the record was deleted"), 0, null, 0)
					.result())
			.isEqualTo("broken");
	}

	@Test
	void theHorizonIsTheSmallerTransactionIdComparedAsNumbers() {
		assertThat(AuditChain.minXid("9999", "10000")).isEqualTo("9999");
		assertThat(AuditChain.minXid("10000", "9999")).isEqualTo("9999");
		assertThat(AuditChain.minXid("17", "17")).isEqualTo("17");
	}

}
