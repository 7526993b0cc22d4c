package health.crosswalk.migration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The jobs of {@code $import} ({@code crosswalk.import_job}): queued by a kick-off,
 * claimed by one server at a time under a lease it keeps extending, ended with a report.
 */
final class ImportJobs {

	/** A job's state. */
	enum Status {

		QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

		String sql() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * A job as stored.
	 *
	 * @param id its id
	 * @param hospital the requester's hospital
	 * @param partitionId that hospital's partition
	 * @param owner the requester (hospital, credential kind, subject)
	 * @param source the source's name
	 * @param inputs its files, as JSON
	 * @param status its state
	 * @param cancelRequested whether its requester asked to cancel it
	 * @param progress the last progress line, or null
	 * @param report its report as JSON, once ended
	 * @param error why it failed, or null
	 * @param finishedAt when it ended, or null
	 */
	record Job(UUID id, String hospital, int partitionId, String owner, String source, String inputs, Status status,
			boolean cancelRequested, String progress, String report, String error, Instant finishedAt) {
	}

	private static final String COLUMNS = "id, hospital, partition_id, owner, source, inputs, status, cancel_requested, "
			+ "progress, report, error, finished_at";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	ImportJobs(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * Queues a job, unless its requester has as many queued or running as it may: the
	 * count and the insert run under a lock on the requester, so two kick-offs at once
	 * cannot both pass it.
	 * @param max the most unfinished jobs a requester may have
	 * @return its id, or empty if the requester has {@code max} already
	 */
	Optional<UUID> queue(String hospital, int partitionId, String owner, String source, String inputsJson, int max) {
		return this.transactions.execute((status) -> {
			this.jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 17))", owner);
			Integer unfinished = this.jdbc.queryForObject(
					"SELECT count(*) FROM crosswalk.import_job WHERE owner = ? AND status IN ('queued', 'running')",
					Integer.class, owner);
			if (unfinished != null && unfinished >= max) {
				return Optional.<UUID>empty();
			}
			UUID id = UUID.randomUUID();
			this.jdbc.update("INSERT INTO crosswalk.import_job (id, hospital, partition_id, owner, source, inputs) "
					+ "VALUES (?, ?, ?, ?, ?, ?::jsonb)", id, hospital, partitionId, owner, source, inputsJson);
			return Optional.of(id);
		});
	}

	Optional<Job> find(UUID id) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM crosswalk.import_job WHERE id = ?", ImportJobs::job, id)
			.stream()
			.findFirst();
	}

	/**
	 * Claims the oldest job no server holds: one queued, or one whose server stopped
	 * extending its lease.
	 * @param node this server's name
	 * @param lease how long the claim holds unless extended
	 * @return the job, or empty if none waits
	 */
	Optional<Job> claim(String node, Duration lease) {
		// A job cancelled while its server was gone ends here, and is not run again.
		this.jdbc.update("UPDATE crosswalk.import_job SET status = 'cancelled', finished_at = now(), "
				+ "claimed_until = NULL WHERE status = 'running' AND cancel_requested AND claimed_until < now()");
		List<Job> claimed = this.jdbc.query("UPDATE crosswalk.import_job SET status = 'running', "
				+ "started_at = coalesce(started_at, now()), claimed_by = ?, "
				+ "claimed_until = now() + make_interval(secs => ?) WHERE id = (SELECT id FROM crosswalk.import_job "
				+ "WHERE (status = 'queued' OR (status = 'running' AND claimed_until < now())) "
				+ "AND NOT cancel_requested ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS,
				ImportJobs::job, node, (double) lease.toSeconds());
		return claimed.stream().findFirst();
	}

	/**
	 * Lets another server take a job up at once (this one is stopping).
	 * @param id the job
	 * @param node the server holding it
	 */
	void release(UUID id, String node) {
		this.jdbc.update("UPDATE crosswalk.import_job SET claimed_until = now() - interval '1 second' "
				+ "WHERE id = ? AND claimed_by = ? AND status = 'running'", id, node);
	}

	/**
	 * Extends a claim and records progress.
	 * @param id the job
	 * @param node the server holding it
	 * @param lease from now
	 * @param progress the last progress line, or null to keep the previous one
	 * @return false if the server no longer holds the job, or its requester asked to
	 * cancel it
	 */
	boolean extend(UUID id, String node, Duration lease, String progress) {
		List<Boolean> cancelled = this.jdbc.query(
				"UPDATE crosswalk.import_job SET claimed_until = now() + make_interval(secs => ?), "
						+ "progress = coalesce(?, progress) WHERE id = ? AND claimed_by = ? AND status = 'running' "
						+ "RETURNING cancel_requested",
				(row, n) -> row.getBoolean(1), (double) lease.toSeconds(), progress, id, node);
		return !cancelled.isEmpty() && !cancelled.get(0);
	}

	/**
	 * Ends a job the server holds: cancelled if its requester asked for that, whatever it
	 * reached.
	 * @param status completed or failed
	 * @param report its report as JSON, or null
	 * @param error why it failed, or null
	 * @return false if the server no longer held it
	 */
	boolean end(UUID id, String node, Status status, String report, String error) {
		return this.jdbc.update("UPDATE crosswalk.import_job SET "
				+ "status = CASE WHEN cancel_requested THEN 'cancelled' ELSE ? END, report = ?::jsonb, error = ?, "
				+ "finished_at = now(), claimed_until = NULL WHERE id = ? AND claimed_by = ? AND status = 'running'",
				status.sql(), report, error, id, node) == 1;
	}

	/**
	 * Cancels a job: at once if it waits, at its next step if it runs.
	 * @return false if it had ended already
	 */
	boolean cancel(UUID id) {
		int queued = this.jdbc.update("UPDATE crosswalk.import_job SET status = 'cancelled', finished_at = now() "
				+ "WHERE id = ? AND status = 'queued'", id);
		return queued == 1 || this.jdbc.update(
				"UPDATE crosswalk.import_job SET cancel_requested = true WHERE id = ? AND status = 'running'", id) == 1;
	}

	/**
	 * Forgets jobs that ended before a time.
	 * @return how many
	 */
	int forgetEndedBefore(Instant cutoff) {
		return this.jdbc.update("DELETE FROM crosswalk.import_job WHERE finished_at < ?", Timestamp.from(cutoff));
	}

	private static Job job(ResultSet row, int n) throws SQLException {
		Timestamp finished = row.getTimestamp("finished_at");
		return new Job(row.getObject("id", UUID.class), row.getString("hospital"), row.getInt("partition_id"),
				row.getString("owner"), row.getString("source"), row.getString("inputs"),
				Status.valueOf(row.getString("status").toUpperCase(java.util.Locale.ROOT)),
				row.getBoolean("cancel_requested"), row.getString("progress"), row.getString("report"),
				row.getString("error"), (finished != null) ? finished.toInstant() : null);
	}

}
