package health.crosswalk.audit;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InteractionsTest {

	@Test
	void describesAnOutcomeBodyWithItsCodeAndDiagnostics() {
		String body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"details\":{\"coding\":[{\"code\":"
				+ "\"CW-HOSP-001\"}]},\"diagnostics\":\"The slug \\\"x\\\" is not valid.\"}]}";
		assertThat(Interactions.describeBody(400, body)).isEqualTo("400 CW-HOSP-001: The slug \"x\" is not valid.");
	}

	@Test
	void describesAVeryLongDiagnosticsOnASmallStack() throws InterruptedException {
		String body = "{\"issue\":[{\"diagnostics\":\"" + "a".repeat(200_000) + "\\\" and \\\\ escaped\"}]}";
		AtomicReference<Object> described = new AtomicReference<>();
		// Smaller than a request thread's stack: the old pattern recursed per character.
		Thread thread = new Thread(null, () -> {
			try {
				described.set(Interactions.describeBody(400, body));
			}
			catch (StackOverflowError ex) {
				described.set(ex);
			}
		}, "small-stack", 256 * 1024);
		thread.start();
		thread.join();
		assertThat(described.get()).isInstanceOf(String.class);
		assertThat((String) described.get()).startsWith("400: aaaa").hasSize(2000);
	}

}
