package health.crosswalk.bulk;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The register of export files ({@code crosswalk.export_file}): a row per Binary an
 * export job wrote, inserted in the transaction that stores the file.
 */
final class ExportFiles implements ExportHooks.Files, ExportPurge.Files {

	private final JdbcTemplate jdbc;

	ExportFiles(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void written(String binaryId, Integer partitionId, String jobId) {
		this.jdbc.update("INSERT INTO crosswalk.export_file (binary_id, partition_id, job_id) VALUES (?, ?, ?) "
				+ "ON CONFLICT (binary_id) DO NOTHING", binaryId, partitionId, jobId);
	}

	@Override
	public List<ExportPurge.File> writtenBefore(Instant cutoff, ExportPurge.File after, int limit) {
		// Keyset pages over every file old enough and not claimed by another server.
		Timestamp afterWritten = Timestamp.from((after != null) ? after.written() : Instant.EPOCH);
		String afterId = (after != null) ? after.binaryId() : "";
		return this.jdbc.query(
				"SELECT binary_id, partition_id, job_id, created_at FROM crosswalk.export_file "
						+ "WHERE created_at < ? AND (claimed_until IS NULL OR claimed_until < now()) "
						+ "AND (created_at, binary_id) > (?, ?) ORDER BY created_at, binary_id LIMIT ?",
				(row, n) -> new ExportPurge.File(row.getString(1), (Integer) row.getObject(2), row.getString(3),
						row.getTimestamp(4).toInstant()),
				Timestamp.from(cutoff), afterWritten, afterId, limit);
	}

	@Override
	public boolean claim(String binaryId, Duration lease) {
		return this.jdbc.update(
				"UPDATE crosswalk.export_file SET claimed_until = now() + make_interval(secs => ?) "
						+ "WHERE binary_id = ? AND (claimed_until IS NULL OR claimed_until < now())",
				lease.toSeconds(), binaryId) == 1;
	}

	@Override
	public void forget(String binaryId) {
		this.jdbc.update("DELETE FROM crosswalk.export_file WHERE binary_id = ?", binaryId);
	}

}
