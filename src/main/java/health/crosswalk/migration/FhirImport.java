package health.crosswalk.migration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.param.ParameterUtil;
import ca.uhn.fhir.util.UrlUtil;
import health.crosswalk.migration.SourceRecords.SourceRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Imports FHIR records into one hospital through the server's own FHIR API, so that each
 * is checked, linked and audited as any client's write.
 *
 * <ul>
 * <li>Ids: a record's id in its source (or its Bundle entry's fullUrl) becomes an
 * identifier in the source's legacy system
 * ({@code https://fhir.crosswalk.health/sid/legacy/<source>}), and each record is written
 * as a conditional update on it: the server assigns the id once, and a second run updates
 * instead of duplicating. A run that stopped is resumed by running it again.</li>
 * <li>References: a reference to a record of the same transaction becomes its
 * {@code urn:uuid}; to one written before, a conditional reference on its legacy
 * identifier. Types are written referenced ones first (Organization, Practitioner,
 * Patient, Encounter, …); a record whose target comes later waits for it, and one whose
 * target was refused is refused with that reason.</li>
 * <li>Transactions: records go in transactions of {@code chunk} records; a transaction
 * the server refuses is retried record by record, so that each refused record gets its
 * own reason and the others are written.</li>
 * <li>The server's own elements are left out: meta (version, last updated, source), the
 * UPI identifier and {@code Patient.link} (Crosswalk computes links).</li>
 * </ul>
 */
public final class FhirImport {

	/**
	 * A legacy store's name of a row ({@code patients/17}), which no FHIR reference has.
	 */
	private static final Pattern LEGACY_KEY = Pattern.compile("[a-z][a-z0-9_]*/.+");

	/** The base of the identifier system of a source's legacy ids. */
	public static final String LEGACY_SYSTEM = "https://fhir.crosswalk.health/sid/legacy/";

	/** The server's mark of the hospital a shared or exported record comes from. */
	private static final String SOURCE_HOSPITAL_TAG = health.crosswalk.security.HospitalDirectory.SOURCE_HOSPITAL_TAG;

	/** Types written first, in this order; all others after them, then Provenance. */
	static final List<String> ORDER = List.of("Organization", "Location", "Practitioner", "PractitionerRole",
			"Medication", "Substance", "Device", "Patient", "RelatedPerson", "Group", "Encounter", "EpisodeOfCare",
			"Condition", "AllergyIntolerance", "Procedure", "Immunization", "ServiceRequest", "MedicationRequest",
			"Specimen", "Observation", "DiagnosticReport", "ImagingStudy", "DocumentReference",
			"MedicationAdministration", "MedicationDispense", "MedicationStatement", "CareTeam", "CarePlan", "Goal",
			"Claim", "ExplanationOfBenefit");

	/** The server a run writes to. */
	public interface Server {

		/**
		 * Sends a transaction.
		 * @param transaction the transaction
		 * @return the server's response
		 * @throws Refused when the server refuses it (a 4xx)
		 */
		Bundle transaction(Bundle transaction);

	}

	/** A transaction the server refused, with its reason (a 4xx). */
	public static final class Refused extends RuntimeException {

		public Refused(String reason) {
			super(reason);
		}

	}

	private enum Fate {

		READY, WAIT, REFUSED

	}

	private record Prepared(SourceRecord record, String key, Fate fate, Resource resource, String reason,
			List<String> removed) {

		static Prepared not(SourceRecord record, String key, Fate fate, String reason) {
			return new Prepared(record, key, fate, null, reason, List.of());
		}

	}

	private final FhirContext fhir;

	private final IParser parser;

	private final Server server;

	private final String legacySystem;

	private final Set<String> serverSystems;

	private final int chunk;

	private final Consumer<String> progress;

	private final Map<String, SourceRecord> byKey = new HashMap<>();

	private final Set<String> written = new HashSet<>();

	private final Map<String, String> refused = new HashMap<>();

	private final Map<String, String> aliases = new HashMap<>();

	private final Map<String, Boolean> identified = new HashMap<>();

	private Server sending;

	private String lastRefusal;

	private ImportReport report;

	/**
	 * @param fhir the FHIR context
	 * @param server where the records go (none for a dry run)
	 * @param source the source's name, in the legacy identifier system
	 * @param serverSystems identifier systems the server assigns (the UPI), left out
	 * @param chunk records per transaction
	 * @param progress where progress lines go
	 */
	public FhirImport(FhirContext fhir, Server server, String source, Set<String> serverSystems, int chunk,
			Consumer<String> progress) {
		this.fhir = fhir;
		this.parser = fhir.newJsonParser();
		this.server = server;
		this.legacySystem = LEGACY_SYSTEM + source;
		this.serverSystems = serverSystems;
		this.chunk = chunk;
		this.progress = progress;
	}

	/**
	 * Imports files.
	 * @param hospital the hospital's slug, for the report
	 * @param source the source's name, for the report
	 * @param paths NDJSON and JSON files, and directories of them
	 * @param exclude a directory whose files are not read (the run's report), or null
	 * @param dryRun read and check the records, write nothing
	 * @return the report
	 * @throws IOException if a file cannot be read
	 */
	public ImportReport run(String hospital, String source, List<Path> paths, Path exclude, boolean dryRun)
			throws IOException {
		SourceRecords reader = new SourceRecords(this.fhir);
		Map<String, List<SourceRecord>> files = new LinkedHashMap<>();
		for (Path file : SourceRecords.files(paths, exclude)) {
			files.put(file.toString(), reader.read(file));
		}
		return run(hospital, source, files, Map.of(), dryRun);
	}

	/**
	 * Imports records, as files or a legacy store's mapping give them.
	 * @param hospital the hospital's slug, for the report
	 * @param source the source's name, for the report
	 * @param sources the records of each file or table, by its name
	 * @param rows rows read per table of a legacy store (empty for files)
	 * @param dryRun read and check the records, write nothing
	 * @return the report
	 */
	public ImportReport run(String hospital, String source, Map<String, List<SourceRecord>> sources,
			Map<String, Integer> rows, boolean dryRun) {
		long start = System.nanoTime();
		this.report = new ImportReport(hospital, source, dryRun);
		this.byKey.clear();
		this.aliases.clear();
		this.written.clear();
		this.refused.clear();
		rows.forEach(this.report::rows);
		Map<String, List<SourceRecord>> byType = new LinkedHashMap<>();
		for (Map.Entry<String, List<SourceRecord>> file : sources.entrySet()) {
			List<SourceRecord> records = file.getValue();
			this.report.file(file.getKey(), records.size());
			for (SourceRecord record : records) {
				if (record.problem() != null) {
					if (record.type() != null) {
						this.report.read(record.type());
					}
					String legacyId = (record.id() != null) ? record.type() + "/" + record.id() : record.fullUrl();
					if (legacyId != null) {
						// Records referring to it are refused with its reason, not sent.
						this.refused.putIfAbsent(legacyId, (record.skipped() ? "skipped: " : "") + record.problem());
					}
					if (record.skipped()) {
						this.report.skipped(record.where(), record.type(), legacyId, record.problem());
					}
					else {
						this.report.refused(record.where(), record.type(), legacyId, record.problem());
					}
					continue;
				}
				this.report.read(record.type());
				String key = keyOf(record);
				SourceRecord earlier = this.byKey.putIfAbsent(key, record);
				if (earlier != null) {
					// Not a refusal of the key: references to it are to the first.
					this.report.refused(record.where(), record.type(), key, "the source has " + key
							+ " twice; the first, at " + earlier.where() + ", is the one imported");
					continue;
				}
				if (record.id() != null && record.fullUrl() != null && !record.fullUrl().isBlank()) {
					// A Bundle entry is referred to by its fullUrl as well as by Type/id.
					this.aliases.putIfAbsent(record.fullUrl(), key);
				}
				byType.computeIfAbsent(record.type(), (type) -> new ArrayList<>()).add(record);
			}
		}
		try {
			writeAll(byType, dryRun);
		}
		catch (RuntimeException ex) {
			// The server failed (not a refusal): what was written stays, a second run
			// goes on from there.
			this.report.stopped(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		this.report.took(Duration.ofNanos(System.nanoTime() - start));
		return this.report;
	}

	private void writeAll(Map<String, List<SourceRecord>> byType, boolean dryRun) {
		this.sending = dryRun ? FhirImport::accepted : this.server;
		List<SourceRecord> waiting = new ArrayList<>();
		byType.keySet().stream().sorted(Comparator.comparing(FhirImport::rank)).forEach((type) -> {
			List<SourceRecord> records = byType.get(type);
			for (int from = 0; from < records.size(); from += this.chunk) {
				waiting.addAll(write(records.subList(from, Math.min(records.size(), from + this.chunk))));
				this.progress.accept(type + ": " + Math.min(records.size(), from + this.chunk) + "/" + records.size());
			}
		});
		// Records whose targets came later in the source, until no more can go.
		int before = Integer.MAX_VALUE;
		while (!waiting.isEmpty() && waiting.size() < before) {
			before = waiting.size();
			List<SourceRecord> again = new ArrayList<>(waiting);
			waiting.clear();
			for (SourceRecord record : again) {
				waiting.addAll(write(List.of(record)));
			}
		}
		if (waiting.isEmpty()) {
			return;
		}
		// What is left refers in a cycle (an Encounter's diagnosis and the Condition's
		// encounter): one transaction resolves it.
		this.lastRefusal = null;
		List<SourceRecord> left = write(List.copyOf(waiting));
		for (SourceRecord record : left) {
			refuse(record, keyOf(record),
					"it refers to records that refer back to it, and the transaction holding them " + "all was refused"
							+ ((this.lastRefusal != null) ? ": " + this.lastRefusal : ""));
		}
	}

	/** A dry run's server: every transaction succeeds, creating. */
	private static Bundle accepted(Bundle transaction) {
		Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
		transaction.getEntry().forEach((entry) -> response.addEntry().getResponse().setStatus("201 Created"));
		return response;
	}

	/**
	 * Writes records in one transaction, or one by one if the server refuses it.
	 * @return the records that wait for a target not written yet
	 */
	private List<SourceRecord> write(List<SourceRecord> records) {
		Map<String, SourceRecord> together = new LinkedHashMap<>();
		records.forEach((record) -> together.put(keyOf(record), record));
		List<Prepared> prepared;
		List<Prepared> left = new ArrayList<>();
		// A record that waits or is refused leaves the transaction, and those referring
		// to it by urn:uuid are prepared again without it.
		while (true) {
			prepared = together.values().stream().map((record) -> prepare(record, together.keySet())).toList();
			List<Prepared> notReady = prepared.stream().filter((p) -> p.fate() != Fate.READY).toList();
			if (notReady.isEmpty()) {
				break;
			}
			left.addAll(notReady);
			notReady.forEach((p) -> together.remove(p.key()));
		}
		List<SourceRecord> waiting = new ArrayList<>();
		for (Prepared p : left) {
			if (p.fate() == Fate.WAIT) {
				waiting.add(p.record());
			}
			else {
				refuse(p.record(), p.key(), p.reason());
			}
		}
		List<Prepared> ready = prepared;
		if (ready.isEmpty()) {
			return waiting;
		}
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (Prepared p : ready) {
			transaction.addEntry()
				.setFullUrl(urn(p.key()))
				.setResource(p.resource())
				.getRequest()
				.setMethod(Bundle.HTTPVerb.PUT)
				.setUrl(match(p.resource().fhirType(), p.key()));
		}
		Bundle response;
		try {
			response = this.sending.transaction(transaction);
		}
		catch (Refused ex) {
			this.lastRefusal = ex.getMessage();
			if (ready.size() == 1) {
				refuse(ready.get(0).record(), ready.get(0).key(), ex.getMessage());
				return waiting;
			}
			for (Prepared p : ready) {
				waiting.addAll(write(List.of(p.record())));
			}
			return waiting;
		}
		for (int i = 0; i < ready.size(); i++) {
			Prepared p = ready.get(i);
			String status = (i < response.getEntry().size()) ? response.getEntry().get(i).getResponse().getStatus()
					: "";
			this.written.add(p.key());
			this.report.written(p.resource().fhirType(), status.startsWith("201"));
			p.removed().forEach(this.report::removed);
		}
		return waiting;
	}

	private Prepared prepare(SourceRecord record, Set<String> together) {
		String key = keyOf(record);
		Resource resource = (Resource) this.parser.parseResource(record.json());
		resource.setIdElement(null);
		Meta meta = resource.getMeta();
		meta.setVersionId(null).setLastUpdated(null).setSource(null);
		List<String> removed = new ArrayList<>();
		if (resource instanceof Patient patient && patient.hasLink()) {
			patient.getLink().clear();
			removed.add("Patient.link");
		}
		if (meta.getTag().removeIf((tag) -> SOURCE_HOSPITAL_TAG.equals(tag.getSystem()))) {
			// The mark of a network export or a shared record: the server's to set.
			removed.add("source-hospital tag");
		}
		List<Identifier> identifiers = identifiers(resource);
		if (identifiers != null) {
			if (identifiers.removeIf((identifier) -> this.serverSystems.contains(identifier.getSystem()))) {
				removed.add("UPI identifier");
			}
			identifiers.removeIf((identifier) -> this.legacySystem.equals(identifier.getSystem()));
			identifiers.add(new Identifier().setSystem(this.legacySystem).setValue(key));
		}
		else {
			// A type without a repeating identifier carries its source id as a tag.
			meta.getTag().removeIf((tag) -> this.legacySystem.equals(tag.getSystem()));
			meta.addTag(this.legacySystem, tagCode(key), null);
		}
		for (Reference reference : this.fhir.newTerser()
			.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
			String target = targetOf(reference.getReference());
			if (target == null) {
				String why = this.refused.get(reference.getReference());
				if (why != null) {
					return Prepared.not(record, key, Fate.REFUSED,
							"it refers to " + reference.getReference() + ", which was not imported: " + why);
				}
				if (reference.hasReference() && LEGACY_KEY.matcher(reference.getReference()).matches()) {
					return Prepared.not(record, key, Fate.REFUSED,
							"it refers to " + reference.getReference() + ", which the source does not have");
				}
				IdType outside = outside(reference.getReference());
				if (outside != null) {
					// Written by an earlier run, or the server says it is unknown.
					reference.setReference(
							match(outside.getResourceType(), outside.getResourceType() + "/" + outside.getIdPart()));
				}
				continue;
			}
			String why = this.refused.get(target);
			if (why != null) {
				return Prepared.not(record, key, Fate.REFUSED,
						"it refers to " + reference.getReference() + ", which was not imported: " + why);
			}
			if (together.contains(target)) {
				reference.setReference(urn(target));
			}
			else if (this.written.contains(target)) {
				reference.setReference(match(this.byKey.get(target).type(), target));
			}
			else {
				return Prepared.not(record, key, Fate.WAIT, null);
			}
		}
		return new Prepared(record, key, Fate.READY, resource, null, removed);
	}

	/**
	 * The live list of a resource's identifiers ({@code getIdentifier()} of the R4
	 * model), or null for a type without a repeating identifier.
	 */
	@SuppressWarnings("unchecked")
	private static List<Identifier> identifiers(Resource resource) {
		try {
			Object identifiers = resource.getClass().getMethod("getIdentifier").invoke(resource);
			return (identifiers instanceof List<?> list) ? (List<Identifier>) list : null;
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	private void refuse(SourceRecord record, String key, String reason) {
		this.refused.putIfAbsent(key, reason);
		this.report.refused(record.where(), record.type(), key, reason);
	}

	/**
	 * The record's name in the source: {@code Type/id}, else its entry's fullUrl, else a
	 * digest of its content.
	 */
	private static String keyOf(SourceRecord record) {
		if (record.id() != null) {
			return record.type() + "/" + record.id();
		}
		if (record.fullUrl() != null && !record.fullUrl().isBlank()) {
			return record.fullUrl();
		}
		return record.type() + "/content-"
				+ UUID.nameUUIDFromBytes(record.json().getBytes(StandardCharsets.UTF_8)).toString();
	}

	private String targetOf(String reference) {
		if (reference == null || reference.startsWith("#") || reference.contains("?")) {
			return null;
		}
		if (this.byKey.containsKey(reference)) {
			return reference;
		}
		String alias = this.aliases.get(reference);
		if (alias != null) {
			return alias;
		}
		IdType id = new IdType(reference);
		if (id.hasResourceType() && id.hasIdPart()) {
			String key = id.getResourceType() + "/" + id.getIdPart();
			return this.byKey.containsKey(key) ? key : null;
		}
		return null;
	}

	/**
	 * A relative reference ({@code Type/id}, perhaps versioned) to a record not in this
	 * run, or null for any other reference (absolute, contained, conditional, logical).
	 */
	private IdType outside(String reference) {
		if (reference == null || reference.startsWith("#") || reference.contains("?") || reference.contains(":")) {
			return null;
		}
		IdType id = new IdType(reference);
		return (!id.hasBaseUrl() && id.hasResourceType() && id.hasIdPart()
				&& this.fhir.getResourceTypes().contains(id.getResourceType())) ? id : null;
	}

	/**
	 * The search that finds a record written by any run: its legacy identifier, or for a
	 * type without a repeating identifier its legacy tag. The value is escaped as a token
	 * ({@code ,}, {@code |}, {@code $}, {@code \}) and then for the URL.
	 */
	private String match(String type, String key) {
		boolean identified = this.identified.computeIfAbsent(type,
				(name) -> identifiers((Resource) this.fhir.getResourceDefinition(name).newInstance()) != null);
		return type + "?" + (identified ? "identifier" : "_tag") + "="
				+ UrlUtil.escapeUrlParam(ParameterUtil.escape(this.legacySystem)) + "|"
				+ UrlUtil.escapeUrlParam(ParameterUtil.escape(identified ? key : tagCode(key)));
	}

	/** A tag's code holds 200 characters: a longer key is named by its digest. */
	private static String tagCode(String key) {
		if (key.length() <= 200) {
			return key;
		}
		try {
			return "sha256:" + HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String urn(String key) {
		return "urn:uuid:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
	}

	private static int rank(String type) {
		int index = ORDER.indexOf(type);
		if (type.equals("Provenance")) {
			return ORDER.size() + 1;
		}
		return (index >= 0) ? index : ORDER.size();
	}

}
