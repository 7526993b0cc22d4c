package health.crosswalk.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CrosswalkDataSourceTest {

	@Test
	void onlyAsynchronousCommitIsRefused() {
		assertThat(CrosswalkDataSource.asynchronousCommitRefusal("off")).contains("synchronous_commit = off")
			.contains("ALTER ROLE <role> SET synchronous_commit = on");
		assertThat(CrosswalkDataSource.asynchronousCommitRefusal("OFF")).isNotNull();
		assertThat(CrosswalkDataSource.asynchronousCommitRefusal(null)).isNotNull();
		for (String durable : new String[] { "on", "local", "remote_write", "remote_apply" }) {
			assertThat(CrosswalkDataSource.asynchronousCommitRefusal(durable)).as(durable).isNull();
		}
	}

}
