package health.crosswalk.hospital;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import health.crosswalk.security.ApiKeyFormat;
import health.crosswalk.security.ApiKeyFormat.ParsedKey;
import health.crosswalk.security.ApiKeyHashing;
import health.crosswalk.security.ApiKeyStore;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import health.crosswalk.server.Outcomes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hospital registry: hospitals, the identifier systems they own, and their API keys,
 * in Crosswalk's own tables. Registering a hospital also creates its HAPI partition and
 * Organization, in the same transaction.
 */
final class HospitalRegistry implements HospitalDirectory, ApiKeyStore {

	private static final Logger log = LoggerFactory.getLogger(HospitalRegistry.class);

	private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

	private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

	private static final String HOSPITAL_COLUMNS = "h.id, h.slug, h.name, h.status, h.partition_id, h.organization_id, "
			+ "h.created_at, (SELECT coalesce(array_agg(s.system ORDER BY s.system), '{}') "
			+ "FROM crosswalk.hospital_identifier_system s WHERE s.hospital_id = h.id) AS systems";

	/** The columns {@link #hospitalRef} reads, of the hospital aliased {@code h}. */
	private static final String HOSPITAL_REF_COLUMNS = "h.slug, h.partition_id, h.status, h.organization_id";

	private static final String KEY_COLUMNS = "k.key_id, h.slug, k.role, k.scopes, k.label, k.created_at, "
			+ "k.last_used_at, k.revoked_at, k.expires_at";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final HospitalFhirMirror fhir;

	private final Map<String, Instant> lastUseRecorded = new ConcurrentHashMap<>();

	private final RegistryCache cache;

	HospitalRegistry(JdbcTemplate jdbc, TransactionTemplate transactions, HospitalFhirMirror fhir,
			RegistryCache cache) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.fhir = fhir;
		this.cache = cache;
	}

	Hospital register(String slug, String name, List<String> identifierSystems) {
		validate(slug, name);
		List<String> systems = new ArrayList<>(
				new LinkedHashSet<>((identifierSystems != null) ? identifierSystems : List.of()));
		systems.forEach(HospitalRegistry::validateSystem);
		Hospital hospital = this.transactions.execute((status) -> {
			UUID id;
			int partitionId;
			try {
				Map<String, Object> row = this.jdbc.queryForMap(
						"INSERT INTO crosswalk.hospital (slug, name) VALUES (?, ?) RETURNING id, partition_id", slug,
						name.trim());
				id = (UUID) row.get("id");
				partitionId = ((Number) row.get("partition_id")).intValue();
			}
			catch (DuplicateKeyException ex) {
				throw HospitalError.SLUG_TAKEN.exception("A hospital with slug '" + slug + "' exists.");
			}
			for (String system : systems) {
				addSystem(id, system);
			}
			String organizationId = this.fhir.create(partitionId, slug, name.trim());
			this.jdbc.update("UPDATE crosswalk.hospital SET organization_id = ? WHERE id = ?", organizationId, id);
			this.cache.changed();
			return find(slug).orElseThrow();
		});
		log.info("Registered hospital '{}' in partition {}", slug, hospital.partitionId());
		return hospital;
	}

	private void addSystem(UUID hospitalId, String system) {
		try {
			this.jdbc.update("INSERT INTO crosswalk.hospital_identifier_system (system, hospital_id) VALUES (?, ?)",
					system, hospitalId);
		}
		catch (DuplicateKeyException ex) {
			throw HospitalError.SYSTEM_TAKEN
				.exception("The identifier system '" + system + "' already belongs to a hospital.");
		}
	}

	List<Hospital> list() {
		return this.jdbc.query("SELECT " + HOSPITAL_COLUMNS + " FROM crosswalk.hospital h ORDER BY h.slug",
				HospitalRegistry::hospital);
	}

	Optional<Hospital> find(String slug) {
		return this.jdbc
			.query("SELECT " + HOSPITAL_COLUMNS + " FROM crosswalk.hospital h WHERE h.slug = ?",
					HospitalRegistry::hospital, slug)
			.stream()
			.findFirst();
	}

	Hospital require(String slug) {
		return find(slug)
			.orElseThrow(() -> HospitalError.UNKNOWN_HOSPITAL.exception("No hospital has the slug '" + slug + "'."));
	}

	Hospital setStatus(String slug, String status) {
		Hospital hospital = require(slug);
		// The registry decides; the Organization only mirrors it, so a failure to update
		// the mirror never blocks a suspension.
		this.jdbc.update("UPDATE crosswalk.hospital SET status = ?, updated_at = now() WHERE slug = ?", status, slug);
		this.cache.changed();
		log.info("Hospital '{}' is now {}", slug, status);
		if (hospital.organizationId() != null) {
			try {
				this.transactions.executeWithoutResult((tx) -> this.fhir.setActive(hospital.partitionId(),
						hospital.organizationId(), Hospital.ACTIVE.equals(status)));
			}
			catch (RuntimeException ex) {
				log.warn("Hospital '{}' is {}, but its Organization/{} could not be updated: {}", slug, status,
						hospital.organizationId(), ex.getMessage());
			}
		}
		return require(slug);
	}

	IssuedKey issueKey(String hospitalSlug, Role role, String label) {
		return issueKey(hospitalSlug, role, label, defaultScopes(role), null);
	}

	/**
	 * Issues a key.
	 * @param hospitalSlug its hospital, for a clinical role; null for a network role
	 * @param role its role
	 * @param label what it is for
	 * @param scopes its SMART scopes
	 * @param expiresAt when it stops working, or null for never (until revoked)
	 * @return the key, shown once
	 */
	IssuedKey issueKey(String hospitalSlug, Role role, String label, String scopes, Instant expiresAt) {
		if (role.isClinical() != (hospitalSlug != null)) {
			throw HospitalError.INVALID_ROLE
				.exception(role.isClinical() ? "A " + role.code() + " key must belong to a hospital."
						: "An " + role.code() + " key acts for the whole network, not for a hospital.");
		}
		UUID hospitalId = (hospitalSlug != null) ? hospitalId(hospitalSlug) : null;
		String cleanLabel = (label != null) ? label.trim() : "";
		if (cleanLabel.length() > 200) {
			throw HospitalError.INVALID.exception("A key label has at most 200 characters.");
		}
		ParsedKey key = ApiKeyFormat.generate();
		this.jdbc.update(
				"INSERT INTO crosswalk.api_key (key_id, hospital_id, role, scopes, label, secret_hash, hash_algorithm, "
						+ "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				key.keyId(), hospitalId, role.code(), scopes, cleanLabel, ApiKeyHashing.hash(key.secret()),
				ApiKeyHashing.ALGORITHM, (expiresAt != null) ? Timestamp.from(expiresAt) : null);
		log.info("Issued {} API key {} for {}", role.code(), key.keyId(),
				(hospitalSlug != null) ? "hospital '" + hospitalSlug + "'" : "the network");
		return new IssuedKey(key.token(), key(key.keyId()).orElseThrow());
	}

	static String defaultScopes(Role role) {
		return switch (role) {
			case HOSPITAL_SYSTEM -> "system/*.cruds";
			case CLINICIAN -> "user/*.rs";
			case AUDITOR -> "system/AuditEvent.rs";
			case NETWORK_EXPORTER -> "system/*.rs";
			case ADMIN, STEWARD, MONITOR -> "";
		};
	}

	List<ApiKeyInfo> keys(String hospitalSlug) {
		if (hospitalSlug == null) {
			return this.jdbc.query(
					"SELECT " + KEY_COLUMNS + " FROM crosswalk.api_key k LEFT JOIN crosswalk.hospital h "
							+ "ON h.id = k.hospital_id WHERE k.hospital_id IS NULL ORDER BY k.created_at",
					HospitalRegistry::key);
		}
		UUID hospitalId = hospitalId(hospitalSlug);
		return this.jdbc.query(
				"SELECT " + KEY_COLUMNS + " FROM crosswalk.api_key k JOIN crosswalk.hospital h "
						+ "ON h.id = k.hospital_id WHERE k.hospital_id = ? ORDER BY k.created_at",
				HospitalRegistry::key, hospitalId);
	}

	boolean hasActiveKey(Role role) {
		return Boolean.TRUE.equals(this.jdbc
			.queryForObject("SELECT EXISTS (SELECT 1 FROM crosswalk.api_key WHERE role = ? AND revoked_at IS NULL "
					+ "AND (expires_at IS NULL OR expires_at > now()))", Boolean.class, role.code()));
	}

	/**
	 * Moves the expiry of a key that has one and is not revoked.
	 * @param keyId the key
	 * @param expiresAt its new expiry
	 * @return true if the key was extended
	 */
	boolean extendKey(String keyId, Instant expiresAt) {
		boolean extended = this.jdbc.update(
				"UPDATE crosswalk.api_key SET expires_at = ? WHERE key_id = ? "
						+ "AND revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at > now()",
				Timestamp.from(expiresAt), keyId) == 1;
		this.cache.changed();
		return extended;
	}

	ApiKeyInfo revokeKey(String keyId) {
		int updated = this.jdbc
			.update("UPDATE crosswalk.api_key SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = ?", keyId);
		this.cache.changed();
		if (updated == 0) {
			throw HospitalError.UNKNOWN_KEY.exception("No API key has the id '" + keyId + "'.");
		}
		log.info("Revoked API key {}", keyId);
		return key(keyId).orElseThrow();
	}

	boolean keyWorks(String keyId) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject(
				"SELECT EXISTS (SELECT 1 FROM crosswalk.api_key "
						+ "WHERE key_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))",
				Boolean.class, keyId));
	}

	private Optional<ApiKeyInfo> key(String keyId) {
		return this.jdbc
			.query("SELECT " + KEY_COLUMNS + " FROM crosswalk.api_key k LEFT JOIN crosswalk.hospital h "
					+ "ON h.id = k.hospital_id WHERE k.key_id = ?", HospitalRegistry::key, keyId)
			.stream()
			.findFirst();
	}

	private UUID hospitalId(String slug) {
		return this.jdbc
			.query("SELECT id FROM crosswalk.hospital WHERE slug = ?", (rs, i) -> (UUID) rs.getObject(1), slug)
			.stream()
			.findFirst()
			.orElseThrow(() -> HospitalError.UNKNOWN_HOSPITAL.exception("No hospital has the slug '" + slug + "'."));
	}

	@Override
	public Optional<HospitalRef> findBySlug(String slug) {
		return this.cache.get("hospital", slug,
				(id) -> this.jdbc
					.query("SELECT " + HOSPITAL_REF_COLUMNS + " FROM crosswalk.hospital h WHERE h.slug = ?",
							(rs, i) -> RegistryCache.Read.lasting(hospitalRef(rs, 1)), id)
					.stream()
					.findFirst());
	}

	private static HospitalRef hospitalRef(ResultSet rs, int first) throws SQLException {
		return new HospitalRef(rs.getString(first), rs.getInt(first + 1),
				Hospital.ACTIVE.equals(rs.getString(first + 2)), rs.getString(first + 3));
	}

	@Override
	public Optional<String> ownerOfIdentifierSystem(String system) {
		return this.jdbc
			.query("SELECT h.slug FROM crosswalk.hospital_identifier_system s JOIN crosswalk.hospital h "
					+ "ON h.id = s.hospital_id WHERE s.system = ?", (rs, i) -> rs.getString(1), system)
			.stream()
			.findFirst();
	}

	@Override
	public Optional<StoredApiKey> findByKeyId(String keyId) {
		// The key and its hospital in one statement, read again only once the
		// registry changes.
		return this.cache.get("key", keyId,
				(id) -> this.jdbc
					.query("SELECT k.key_id, k.secret_hash, k.role, k.scopes, "
							+ "(k.revoked_at IS NOT NULL OR k.expires_at <= now()), k.expires_at, "
							+ HOSPITAL_REF_COLUMNS + " FROM crosswalk.api_key k "
							+ "LEFT JOIN crosswalk.hospital h ON h.id = k.hospital_id WHERE k.key_id = ?",
							(rs, i) -> new RegistryCache.Read<>(
									new StoredApiKey(rs.getString(1), rs.getString(2),
											Role.fromCode(rs.getString(3)).orElseThrow(), rs.getString(4),
											(rs.getString(7) != null) ? hospitalRef(rs, 7) : null, rs.getBoolean(5)),
									instant(rs.getTimestamp(6))),
							id)
					.stream()
					.findFirst());
	}

	@Override
	public void recordUse(String keyId) {
		Instant now = Instant.now();
		Instant last = this.lastUseRecorded.get(keyId);
		if (last == null || last.plus(LAST_USED_RESOLUTION).isBefore(now)) {
			this.lastUseRecorded.put(keyId, now);
			this.jdbc.update("UPDATE crosswalk.api_key SET last_used_at = now() WHERE key_id = ?", keyId);
		}
	}

	private static void validate(String slug, String name) {
		if (slug == null || !SLUG.matcher(slug).matches()) {
			throw HospitalError.INVALID.exception("The slug '" + Outcomes.quote(String.valueOf(slug))
					+ "' is not valid: 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a "
					+ "hyphen.");
		}
		if (name == null || name.isBlank() || name.trim().length() > 200) {
			throw HospitalError.INVALID.exception("A hospital needs a name of 1 to 200 characters.");
		}
	}

	private static void validateSystem(String system) {
		boolean valid;
		try {
			valid = system != null && !system.isBlank() && system.length() <= 500 && !system.matches(".*\\s.*")
					&& new URI(system).isAbsolute();
		}
		catch (URISyntaxException ex) {
			valid = false;
		}
		if (!valid) {
			throw HospitalError.INVALID.exception("The identifier system '" + system + "' is not an absolute URI.");
		}
	}

	private static Hospital hospital(ResultSet rs, int row) throws SQLException {
		return new Hospital(rs.getString("slug"), rs.getString("name"), rs.getString("status"),
				rs.getInt("partition_id"), rs.getString("organization_id"),
				List.of((String[]) rs.getArray("systems").getArray()), instant(rs.getTimestamp("created_at")));
	}

	private static ApiKeyInfo key(ResultSet rs, int row) throws SQLException {
		return new ApiKeyInfo(rs.getString("key_id"), rs.getString("slug"), rs.getString("role"),
				rs.getString("scopes"), rs.getString("label"), instant(rs.getTimestamp("created_at")),
				instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at")),
				instant(rs.getTimestamp("expires_at")));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
