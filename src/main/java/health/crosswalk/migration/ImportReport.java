package health.crosswalk.migration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What an import run did, to the record: records read per file and per type, resources
 * created, updated and refused per type, and every refused record with its reason. Every
 * record read is written or refused; {@link #balanced()} says so.
 */
public final class ImportReport {

	/**
	 * A record that was not imported.
	 *
	 * @param where file and line or entry
	 * @param type its resource type, if it is a resource
	 * @param legacyId its id in the source, if any
	 * @param reason why, as the server or the importer said it
	 * @param skipped whether it was left out by design (not data Crosswalk holds) rather
	 * than refused for a defect
	 */
	public record Refusal(String where, String type, String legacyId, String reason, boolean skipped) {
	}

	/**
	 * Counts for one resource type.
	 *
	 * @param read records read
	 * @param created resources created
	 * @param updated resources that existed from an earlier run and were updated (or
	 * found unchanged)
	 * @param refused records not imported for a defect
	 * @param skipped records left out by design
	 */
	public record TypeCounts(int read, int created, int updated, int refused, int skipped) {

		TypeCounts add(TypeCounts more) {
			return new TypeCounts(this.read + more.read, this.created + more.created, this.updated + more.updated,
					this.refused + more.refused, this.skipped + more.skipped);
		}

	}

	static final String NOT_A_RESOURCE = "(no resource)";

	private final String hospital;

	private final String source;

	private final boolean dryRun;

	private final Map<String, Integer> rows = new LinkedHashMap<>();

	private final Map<String, Integer> files = new LinkedHashMap<>();

	private final Map<String, TypeCounts> types = new TreeMap<>();

	private final List<Refusal> refusals = new ArrayList<>();

	private final Map<String, Integer> removed = new TreeMap<>();

	private String stopped;

	private Duration took = Duration.ZERO;

	ImportReport(String hospital, String source, boolean dryRun) {
		this.hospital = hospital;
		this.source = source;
		this.dryRun = dryRun;
	}

	void rows(String table, int read) {
		this.rows.merge(table, read, Integer::sum);
	}

	void file(String file, int records) {
		this.files.merge(file, records, Integer::sum);
	}

	void read(String type) {
		count(type, new TypeCounts(1, 0, 0, 0, 0));
	}

	void written(String type, boolean created) {
		count(type, new TypeCounts(0, created ? 1 : 0, created ? 0 : 1, 0, 0));
	}

	/**
	 * A record not imported for a defect. One that is not a resource at all (type null)
	 * counts as read too.
	 */
	void refused(String where, String type, String legacyId, String reason) {
		count((type != null) ? type : NOT_A_RESOURCE, new TypeCounts((type != null) ? 0 : 1, 0, 0, 1, 0));
		this.refusals.add(new Refusal(where, type, legacyId, reason, false));
	}

	/**
	 * A record left out by design, such as a login account of the old application.
	 */
	void skipped(String where, String type, String legacyId, String reason) {
		count((type != null) ? type : NOT_A_RESOURCE, new TypeCounts((type != null) ? 0 : 1, 0, 0, 0, 1));
		this.refusals.add(new Refusal(where, type, legacyId, reason, true));
	}

	/**
	 * Notes an element the server owns that a record carried and the import left out (a
	 * UPI identifier, {@code Patient.link}).
	 * @param element the element
	 */
	void removed(String element) {
		this.removed.merge(element, 1, Integer::sum);
	}

	void stopped(String why) {
		this.stopped = why;
	}

	void took(Duration took) {
		this.took = took;
	}

	private void count(String type, TypeCounts counts) {
		this.types.merge(type, counts, TypeCounts::add);
	}

	public Map<String, TypeCounts> types() {
		return this.types;
	}

	/**
	 * Records not imported: refused for a defect, or skipped by design.
	 * @return them, in the order met
	 */
	public List<Refusal> refusals() {
		return this.refusals;
	}

	/**
	 * Whether any record was refused for a defect (skipped ones are not).
	 * @return true if so
	 */
	public boolean anyRefused() {
		return this.refusals.stream().anyMatch((refusal) -> !refusal.skipped());
	}

	public String stoppedBecause() {
		return this.stopped;
	}

	/**
	 * Whether every record read was written, refused or skipped, type by type (always,
	 * unless the run stopped; a dry run counts what it would write).
	 * @return true if nothing was left unaccounted for
	 */
	public boolean balanced() {
		return this.types.values()
			.stream()
			.allMatch((counts) -> counts.read() == counts.created() + counts.updated() + counts.refused()
					+ counts.skipped());
	}

	/**
	 * Writes {@code import-report.json}, {@code import-report.md} and
	 * {@code import-not-imported.ndjson} (a record not imported per line, with its
	 * reason) into a directory.
	 * @param directory where (created if needed)
	 * @throws IOException if they cannot be written
	 */
	void write(Path directory) throws IOException {
		Files.createDirectories(directory);
		ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
		Map<String, Object> report = summary();
		json.writeValue(directory.resolve("import-report.json").toFile(), report);
		StringBuilder lines = new StringBuilder();
		for (Refusal refusal : this.refusals) {
			lines.append(new ObjectMapper().writeValueAsString(refusal)).append('\n');
		}
		Files.writeString(directory.resolve("import-not-imported.ndjson"), lines, StandardCharsets.UTF_8);
		Files.writeString(directory.resolve("import-report.md"), markdown(), StandardCharsets.UTF_8);
	}

	private Map<String, Object> summary() {
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("hospital", this.hospital);
		report.put("source", this.source);
		report.put("dryRun", this.dryRun);
		report.put("seconds", this.took.toMillis() / 1000.0);
		report.put("stopped", this.stopped);
		report.put("balanced", balanced());
		if (!this.rows.isEmpty()) {
			report.put("rowsRead", this.rows);
		}
		report.put("files", this.files);
		report.put("types", this.types);
		report.put("serverOwnedElementsLeftOut", this.removed);
		report.put("refused", this.refusals.stream().filter((refusal) -> !refusal.skipped()).count());
		report.put("skipped", this.refusals.stream().filter(Refusal::skipped).count());
		return report;
	}

	/**
	 * The report as {@code import-report.json} has it, with the records not imported
	 * under {@code notImported}: the first {@code limit} of them (their count is in
	 * {@code refused} and {@code skipped}).
	 * @param limit the most records listed
	 * @return JSON
	 */
	String json(int limit) {
		Map<String, Object> report = summary();
		report.put("notImported", this.refusals.subList(0, Math.min(limit, this.refusals.size())));
		try {
			return new ObjectMapper().writeValueAsString(report);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Import into ")
			.append(this.hospital)
			.append(" from source '")
			.append(this.source)
			.append("'")
			.append(this.dryRun ? " (dry run: nothing written)" : "")
			.append("\n\n");
		if (this.stopped != null) {
			md.append("**Stopped:** ").append(this.stopped).append(" Run it again to go on: it resumes.\n\n");
		}
		if (!this.rows.isEmpty()) {
			md.append("| Table | Rows read |\n|---|---|\n");
			this.rows.forEach((table, read) -> md.append("| ").append(table).append(" | ").append(read).append(" |\n"));
			md.append('\n');
		}
		md.append("| File or table | Records |\n|---|---|\n");
		this.files
			.forEach((file, records) -> md.append("| ").append(file).append(" | ").append(records).append(" |\n"));
		md.append("\n| Type | Read | Created | Updated | Refused | Skipped |\n|---|---|---|---|---|---|\n");
		this.types.forEach((type, counts) -> md.append("| ")
			.append(type)
			.append(" | ")
			.append(counts.read())
			.append(" | ")
			.append(counts.created())
			.append(" | ")
			.append(counts.updated())
			.append(" | ")
			.append(counts.refused())
			.append(" | ")
			.append(counts.skipped())
			.append(" |\n"));
		md.append("\nEvery record read was ")
			.append(balanced() ? "written or refused." : "NOT accounted for: see above.")
			.append(" Took ")
			.append(this.took.toSeconds())
			.append(" s.\n");
		if (!this.removed.isEmpty()) {
			md.append("\nLeft out as the server's own: ").append(this.removed).append(".\n");
		}
		if (!this.refusals.isEmpty()) {
			md.append("\n| Where | Type | Source id | Not imported because |\n|---|---|---|---|\n");
			for (Refusal refusal : this.refusals) {
				md.append("| ")
					.append(refusal.where())
					.append(" | ")
					.append(refusal.type())
					.append(" | ")
					.append(refusal.legacyId())
					.append(" | ")
					.append(refusal.skipped() ? "(skipped) " : "")
					.append(refusal.reason().replace("|", "\\|").replace("\n", " "))
					.append(" |\n");
			}
		}
		return md.toString();
	}

}
