package health.crosswalk.audit;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.CrosswalkIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A group commit's rows are committed all or none, whether they go in one round trip (a
 * batch in autocommit, up to {@link GroupCommit#ONE_ROUND_TRIP_ROWS} rows) or in a
 * transaction of their own: a row the database refuses, last in its batch, leaves none of
 * the rows before it behind.
 */
class GroupCommitIT extends CrosswalkIntegrationTest {

	/** Writes records as the server does: the run's records are all held to BALP. */
	private static final AuditEventFactory FACTORY = new AuditEventFactory(FhirContext.forR4Cached(),
			"crosswalk@group-commit-it", "10.0.0.5", AuditEventConformanceTest.HOSPITALS);

	@Test
	void theServersConnectionsCommitSmallGroupsInOneRoundTrip() throws Exception {
		try (Connection connection = context().getBean(DataSource.class).getConnection()) {
			assertThat(GroupCommit.oneRoundTrip(connection)).isTrue();
		}
	}

	@Test
	void aRefusedRowLeavesNoneOfASmallGroupBehind() throws Exception {
		assertAllOrNone(2);
		// The driver sends 127 rows as seven multi-row inserts (64, 32, ..., 1): the
		// refused row is in the last, and the six before it must not stay.
		assertAllOrNone(GroupCommit.ONE_ROUND_TRIP_ROWS - 1);
		assertAllOrNone(GroupCommit.ONE_ROUND_TRIP_ROWS);
	}

	@Test
	void aRefusedRowLeavesNoneOfALargeGroupBehind() throws Exception {
		assertAllOrNone(GroupCommit.ONE_ROUND_TRIP_ROWS + 1);
		assertAllOrNone(600);
	}

	private void assertAllOrNone(int size) throws Exception {
		JdbcTemplate jdbc = context().getBean(JdbcTemplate.class);
		String request = "group-" + UUID.randomUUID();
		AuditRow first = row(request);
		try (GroupCommit commit = new GroupCommit(context().getBean(DataSource.class),
				context().getBean(AuditText.class), 10, Duration.ofSeconds(30))) {
			commit.append(List.of(first));
			List<AuditRow> rows = new ArrayList<>();
			for (int i = 1; i < size; i++) {
				rows.add(row(request));
			}
			// The same record again: its id is taken, so the database refuses it.
			rows.add(first);
			assertThatThrownBy(() -> commit.submit(rows).get(30, TimeUnit.SECONDS))
				.isInstanceOf(ExecutionException.class);
			assertThat(count(jdbc, request)).as("rows of a refused group of %d", size).isEqualTo(1);

			rows.remove(rows.size() - 1);
			commit.append(rows);
			assertThat(count(jdbc, request)).as("rows after the group of %d without the refused one", size)
				.isEqualTo(size);
		}
	}

	private static int count(JdbcTemplate jdbc, String request) {
		Integer count = jdbc.queryForObject("SELECT count(*) FROM crosswalk.audit_event WHERE request_id = ?",
				Integer.class, request);
		return (count != null) ? count : 0;
	}

	private static AuditRow row(String request) {
		return FACTORY
			.rows(AuditEventConformanceTest.facts(AuditEventConformanceTest.Interaction.READ_ORGANIZATION,
					AuditEventConformanceTest.apiKey(), 200, request), System.currentTimeMillis())
			.get(0);
	}

}
