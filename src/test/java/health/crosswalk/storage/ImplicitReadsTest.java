package health.crosswalk.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read-only transaction's first query runs on its own only where the server's sessions
 * default to read committed ({@link ImplicitReads}).
 */
class ImplicitReadsTest {

	@Test
	void onOnlyWhereSessionsDefaultToReadCommitted() {
		assertThat(ImplicitReads.forSessions("read committed").isOn()).isTrue();
		assertThat(ImplicitReads.forSessions("READ COMMITTED").isOn()).isTrue();
		assertThat(ImplicitReads.forSessions("repeatable read").isOn()).isFalse();
		assertThat(ImplicitReads.forSessions("serializable").isOn()).isFalse();
		assertThat(ImplicitReads.forSessions(null).isOn()).isFalse();
	}

}
