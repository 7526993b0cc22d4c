package health.crosswalk.linkage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Crosswalk's link tables, through the caller's transaction (HAPI's write transaction
 * when called from a storage hook).
 */
final class LinkStore {

	private final JdbcTemplate jdbc;

	private final ObjectMapper json;

	LinkStore(JdbcTemplate jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Serialises writers that may decide about the same person: a transaction-scoped lock
	 * per blocking key, taken in key order so that writers never deadlock.
	 */
	void lockKeys(List<String> sortedKeys) {
		for (String key : sortedKeys) {
			this.jdbc.queryForObject("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(?, 7))", Integer.class, key);
		}
	}

	Optional<Link> link(RecordRef record) {
		return this.jdbc
			.query("SELECT upi, method FROM crosswalk.patient_link WHERE partition_id = ? AND patient_id = ?",
					(rs, i) -> new Link(record, (UUID) rs.getObject(1), rs.getString(2)), record.partitionId(),
					record.patientId())
			.stream()
			.findFirst();
	}

	List<Candidate> candidates(List<String> keys, RecordRef exclude, int limit) {
		return this.jdbc.query(
				"SELECT DISTINCT l.partition_id, l.patient_id, l.upi, l.demographics::text FROM crosswalk.patient_link l "
						+ "JOIN crosswalk.patient_blocking_key k ON k.partition_id = l.partition_id "
						+ "AND k.patient_id = l.patient_id WHERE k.key = ANY (?) "
						+ "AND NOT (l.partition_id = ? AND l.patient_id = ?) LIMIT ?",
				(rs, i) -> new Candidate(new RecordRef(rs.getInt(1), rs.getString(2)), (UUID) rs.getObject(3),
						demographics(rs.getString(4))),
				keys.toArray(String[]::new), exclude.partitionId(), exclude.patientId(), limit);
	}

	List<Candidate> members(UUID upi, RecordRef exclude) {
		return this.jdbc.query(
				"SELECT partition_id, patient_id, upi, demographics::text FROM crosswalk.patient_link WHERE upi = ? "
						+ "AND NOT (partition_id = ? AND patient_id = ?)",
				(rs, i) -> new Candidate(new RecordRef(rs.getInt(1), rs.getString(2)), (UUID) rs.getObject(3),
						demographics(rs.getString(4))),
				upi, exclude.partitionId(), exclude.patientId());
	}

	List<RecordRef> records(UUID upi) {
		return this.jdbc.query(
				"SELECT partition_id, patient_id FROM crosswalk.patient_link WHERE upi = ? ORDER BY partition_id, patient_id",
				(rs, i) -> new RecordRef(rs.getInt(1), rs.getString(2)), upi);
	}

	/**
	 * The records of a UPI with the slug of each one's hospital, in one query.
	 */
	List<Linked> linked(UUID upi) {
		return this.jdbc.query(
				"SELECT partition_id, patient_id, hospital_slug FROM crosswalk.patient_link WHERE upi = ? "
						+ "ORDER BY partition_id, patient_id",
				(rs, i) -> new Linked(new RecordRef(rs.getInt(1), rs.getString(2)), rs.getString(3)), upi);
	}

	/**
	 * The UPI of each of a hospital's records that has one, with every record linked to
	 * it, in one statement: what a page of Patients shows.
	 * @param partitionId the hospital's partition
	 * @param patientIds its records
	 * @return by record id, its UPI and the records linked to it (itself among them), by
	 * partition and id
	 */
	Map<String, Members> linkedTo(int partitionId, Collection<String> patientIds) {
		Map<String, Members> members = new HashMap<>();
		this.jdbc.query("SELECT l.patient_id, l.upi, o.partition_id, o.patient_id, o.hospital_slug "
				+ "FROM crosswalk.patient_link l JOIN crosswalk.patient_link o ON o.upi = l.upi "
				+ "WHERE l.partition_id = ? AND l.patient_id = ANY (?) ORDER BY l.patient_id, o.partition_id, o.patient_id",
				(rs) -> {
					UUID upi = (UUID) rs.getObject(2);
					members.computeIfAbsent(rs.getString(1), (id) -> new Members(upi, new ArrayList<>()))
						.linked()
						.add(new Linked(new RecordRef(rs.getInt(3), rs.getString(4)), rs.getString(5)));
				}, partitionId, patientIds.toArray(String[]::new));
		return members;
	}

	/**
	 * The records at other hospitals linked to the same UPIs as records of one hospital.
	 * @param partitionId the hospital's partition
	 * @param patientIds the hospital's records to follow, or null for all of them
	 * @return the linked records elsewhere with their hospitals, each once, by partition
	 * and id
	 */
	List<Linked> linkedElsewhere(int partitionId, List<String> patientIds) {
		String sql = "SELECT DISTINCT o.partition_id, o.patient_id, o.hospital_slug FROM crosswalk.patient_link l "
				+ "JOIN crosswalk.patient_link o ON o.upi = l.upi AND o.partition_id <> l.partition_id "
				+ "WHERE l.partition_id = ?" + ((patientIds != null) ? " AND l.patient_id = ANY (?)" : "")
				+ " ORDER BY o.partition_id, o.patient_id";
		Object[] arguments = (patientIds != null) ? new Object[] { partitionId, patientIds.toArray(String[]::new) }
				: new Object[] { partitionId };
		return this.jdbc.query(sql,
				(rs, i) -> new Linked(new RecordRef(rs.getInt(1), rs.getString(2)), rs.getString(3)), arguments);
	}

	boolean upiExists(UUID upi) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM crosswalk.upi WHERE upi = ?)",
				Boolean.class, upi));
	}

	void moveRecord(RecordRef record, UUID upi, String method) {
		this.jdbc.update(
				"UPDATE crosswalk.patient_link SET upi = ?, method = ?, score = NULL, updated_at = now() "
						+ "WHERE partition_id = ? AND patient_id = ?",
				upi, method, record.partitionId(), record.patientId());
	}

	void replaceUpi(UUID source, UUID target) {
		this.jdbc.update("UPDATE crosswalk.upi SET replaced_by = ? WHERE upi = ?", target, source);
	}

	Optional<Review> review(long id) {
		return this.jdbc.query(
				"SELECT id, partition_id, patient_id, candidate_partition_id, candidate_patient_id, candidate_upi, score, "
						+ "evidence::text, rule_version, status FROM crosswalk.link_review WHERE id = ? FOR UPDATE",
				(rs, i) -> new Review(rs.getLong(1), new RecordRef(rs.getInt(2), rs.getString(3)),
						new RecordRef(rs.getInt(4), rs.getString(5)), (UUID) rs.getObject(6), rs.getDouble(7),
						rs.getString(8), rs.getString(9), rs.getString(10)),
				id)
			.stream()
			.findFirst();
	}

	List<Map<String, Object>> reviews(String status) {
		return this.jdbc.queryForList("SELECT r.id, h.slug AS hospital, r.patient_id, c.slug AS candidate_hospital, "
				+ "r.candidate_patient_id, r.candidate_upi, r.score, r.evidence::text AS evidence, r.rule_version, r.status, "
				+ "r.created_at, r.resolved_at, r.resolved_by FROM crosswalk.link_review r "
				+ "JOIN crosswalk.hospital h ON h.partition_id = r.partition_id "
				+ "JOIN crosswalk.hospital c ON c.partition_id = r.candidate_partition_id "
				+ "WHERE r.status = ? ORDER BY r.created_at", status);
	}

	void resolveReview(long id, String status, String actor) {
		this.jdbc.update(
				"UPDATE crosswalk.link_review SET status = ?, resolved_at = now(), resolved_by = ? WHERE id = ?",
				status, actor, id);
	}

	List<Map<String, Object>> historyOf(RecordRef record) {
		return this.jdbc.queryForList("SELECT recorded_at, actor, action, upi, previous_upi, rule_version, score, "
				+ "evidence::text AS evidence, reason FROM crosswalk.link_history WHERE partition_id = ? AND patient_id = ? "
				+ "ORDER BY id", record.partitionId(), record.patientId());
	}

	List<Map<String, Object>> recordsOf(UUID upi) {
		return this.jdbc
			.queryForList("SELECT l.hospital_slug AS hospital, l.patient_id, l.method, l.rule_version, l.score, "
					+ "l.updated_at FROM crosswalk.patient_link l WHERE l.upi = ? ORDER BY l.hospital_slug, l.patient_id",
					upi);
	}

	UUID newUpi() {
		UUID upi = UUID.randomUUID();
		this.jdbc.update("INSERT INTO crosswalk.upi (upi) VALUES (?)", upi);
		return upi;
	}

	void save(RecordRef record, String hospitalSlug, UUID upi, String method, String ruleVersion, Double score,
			Demographics demographics, List<String> keys) {
		this.jdbc.update("INSERT INTO crosswalk.patient_link (partition_id, patient_id, hospital_slug, upi, method, "
				+ "rule_version, score, demographics) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
				+ "ON CONFLICT (partition_id, patient_id) DO UPDATE SET upi = excluded.upi, method = excluded.method, "
				+ "rule_version = excluded.rule_version, score = excluded.score, demographics = excluded.demographics, "
				+ "updated_at = now()", record.partitionId(), record.patientId(), hospitalSlug, upi, method,
				ruleVersion, score, toJson(demographics));
		this.jdbc.update("DELETE FROM crosswalk.patient_blocking_key WHERE partition_id = ? AND patient_id = ?",
				record.partitionId(), record.patientId());
		this.jdbc.batchUpdate(
				"INSERT INTO crosswalk.patient_blocking_key (key, partition_id, patient_id) VALUES (?, ?, ?) "
						+ "ON CONFLICT DO NOTHING",
				keys.stream().map((key) -> new Object[] { key, record.partitionId(), record.patientId() }).toList());
	}

	void remove(RecordRef record) {
		this.jdbc.update("DELETE FROM crosswalk.patient_link WHERE partition_id = ? AND patient_id = ?",
				record.partitionId(), record.patientId());
	}

	void queueReview(RecordRef record, Candidate candidate, double score, Map<String, Double> evidence,
			String ruleVersion) {
		this.jdbc.update("INSERT INTO crosswalk.link_review (partition_id, patient_id, candidate_partition_id, "
				+ "candidate_patient_id, candidate_upi, score, evidence, rule_version) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) "
				+ "ON CONFLICT (partition_id, patient_id, candidate_partition_id, candidate_patient_id) "
				+ "DO UPDATE SET score = excluded.score, evidence = excluded.evidence, "
				+ "rule_version = excluded.rule_version", record.partitionId(), record.patientId(),
				candidate.record().partitionId(), candidate.record().patientId(), candidate.upi(), score,
				toJson(evidence), ruleVersion);
	}

	void history(String actor, String action, RecordRef record, UUID upi, UUID previousUpi, String ruleVersion,
			Double score, Map<String, Double> evidence, String reason) {
		this.jdbc.update("INSERT INTO crosswalk.link_history (actor, action, partition_id, patient_id, upi, "
				+ "previous_upi, rule_version, score, evidence, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)",
				actor, action, record.partitionId(), record.patientId(), upi, previousUpi, ruleVersion, score,
				(evidence != null) ? toJson(evidence) : null, reason);
	}

	private String toJson(Object value) {
		try {
			return this.json.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Demographics demographics(String text) {
		try {
			return this.json.readValue(text, Demographics.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Unreadable demographics in crosswalk.patient_link", ex);
		}
	}

	/**
	 * A hospital Patient record.
	 */
	record RecordRef(int partitionId, String patientId) {
	}

	record Link(RecordRef record, UUID upi, String method) {
	}

	record Linked(RecordRef record, String hospital) {
	}

	/**
	 * A record's UPI and the records linked to it.
	 *
	 * @param upi the UPI
	 * @param linked every record linked to it, by partition and id
	 */
	record Members(UUID upi, List<Linked> linked) {
	}

	record Candidate(RecordRef record, UUID upi, Demographics demographics) {
	}

	record Review(long id, RecordRef record, RecordRef candidate, UUID candidateUpi, double score, String evidence,
			String ruleVersion, String status) {
	}

}
