package health.crosswalk.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The benchmark's report: {@code report.md} and PNG charts (XChart) in the output folder.
 */
final class Report {

	private final BenchSettings settings;

	private final int patients;

	Variant main;

	final Map<String, Variant> comparisons = new LinkedHashMap<>();

	/** The reference server fed and queried as the main run, or null. */
	Variant reference;

	/** Patients measured by each comparison server. */
	int comparePatients;

	/** Patients each comparison server ingested before, not measured. */
	int compareWarmupPatients;

	Report(BenchSettings settings, int patients) {
		this.settings = settings;
		this.patients = patients;
	}

	Path file() {
		return this.settings.output().resolve("report.md");
	}

	void write() throws IOException {
		System.setProperty("java.awt.headless", "true");
		Files.createDirectories(this.settings.output());
		StringBuilder md = new StringBuilder();
		md.append("# Crosswalk benchmark\n\n");
		md.append(
				String.format(Locale.ROOT, "Run %s on %d cores, %.1f GiB RAM, %s %s, Java %s; server JVM `%s`; %s.%n%n",
						Instant.now(), Runtime.getRuntime().availableProcessors(), totalMemoryGiB(),
						System.getProperty("os.name"), System.getProperty("os.version"),
						System.getProperty("java.version"), String.join(" ", this.settings.jvmOptions()),
						this.settings.externalDatabase() ? "external PostgreSQL" : "embedded PostgreSQL 15"));
		md.append(String.format(Locale.ROOT,
				"Data: %d Synthea patients through %d hospitals (%s also through a second hospital), "
						+ "concurrency %d, queries measured %ss each after %ss of warm-up, every query warmed up "
						+ "once more before the first is measured. Linkage, profile validation and audit on. Load "
						+ "generator and server on the same machine.%n%n",
				this.patients, this.settings.hospitals(), ordinal(this.settings.overlapEvery()),
				this.settings.concurrency(), this.settings.duration().toSeconds(), this.settings.warmup().toSeconds()));
		Variant v = this.main;
		md.append("## Startup and ingest\n\n| Measure | Value |\n|---|---|\n");
		row(md, "Startup to ready", "%.1f s", v.startupSeconds);
		row(md, "Resources ingested", "%d in %d bundles", v.ingest.units(), v.ingest.requests());
		row(md, "Ingest rate", "%.0f resources/s", v.ingest.perSecond());
		row(md, "Bundle latency p50 / p95 / p99", "%.0f / %.0f / %.0f ms", v.ingest.percentileMillis(0.5),
				v.ingest.percentileMillis(0.95), v.ingest.percentileMillis(0.99));
		row(md, "Bundles failed", "%d", v.ingest.errors());
		row(md, "Server CPU per resource", "%.2f ms", 1000 * v.ingestCpu.seconds() / v.ingest.units());
		row(md, "of which the JIT compiler's threads", "%.2f ms",
				1000 * v.ingestCpu.compilerSeconds() / v.ingest.units());
		if (v.statementStatistics) {
			row(md, "SQL statements per resource", "%.1f", (double) v.ingestStatements / v.ingest.units());
		}
		row(md, "Database rows written per resource", "%.1f", (double) v.rowsWritten / v.ingest.units());
		row(md, "WAL written per resource", "%.1f KiB", v.walBytes / 1024.0 / v.ingest.units());
		row(md, "Database size after ingest", "%.0f MiB (%.2f KiB per resource)", v.databaseBytes / 1048576.0,
				v.databaseBytes / 1024.0 / v.ingest.units());
		row(md, "Tables' growth during ingest (data and indexes)", "%.2f KiB per resource", v.grownKiBPerResource());
		if (v.export != null) {
			Export e = v.export;
			row(md, "Bulk export, every hospital at once ($export to manifest)",
					"%d resources in %d files from %d hospitals in %.1f s: %.0f resources/s, %.2f ms server CPU per "
							+ "resource",
					e.resources(), e.files(), e.hospitals(), e.seconds(), e.resources() / e.seconds(),
					1000 * e.cpuSeconds() / Math.max(1, e.resources()));
			row(md, "Bulk export files downloaded (NDJSON)", "%.0f resources/s", e.resources() / e.downloadSeconds());
		}
		if (v.imported != null) {
			Import i = v.imported;
			row(md, "Import of the first hospital's export back into it (FHIR $import of its files uploaded as Binaries)",
					"%d resources in %.1f s: %.0f resources/s, %.2f ms server CPU per resource; %d refused%s",
					i.written(), i.seconds(), i.written() / i.seconds(),
					1000 * i.cpuSeconds() / Math.max(1, i.written()), i.refused(),
					i.reasons().isEmpty() ? "" : " (" + String.join("; ", i.reasons()) + ")");
		}
		row(md, "Server heap used / RSS after the queries", "%.0f MiB / %.0f MiB", v.heapMiB, v.rssMiB);
		row(md, "Audit sealer catching up after ingest (queries wait for it)", "%.1f s", v.sealCatchUpSeconds);
		row(md, "Audit chain after the run ($verify)", "%s", v.auditChainSummary());
		if (v.ceiling != null) {
			row(md, "PostgreSQL alone: COPY", "%.0f rows/s", v.ceiling.copyRowsPerSecond());
			row(md, "PostgreSQL alone: batched INSERT, one transaction per bundle", "%.0f rows/s",
					v.ceiling.insertRowsPerSecond());
			row(md, "Ingest as a fraction of batched INSERT", "%.1f %%",
					100 * v.ingest.perSecond() / v.ceiling.insertRowsPerSecond());
		}
		rowsByTable(md, v);
		bytesByTable(md, v);
		topStatements(md, v);
		md.append("\n## Queries\n\nServer CPU and SQL statements per request include the audit record of each. "
				+ "The JIT compiler's share is the CPU of HotSpot's compiler threads over the phase: code the phase "
				+ "runs first is compiled while it is measured, once per server.\n\n"
				+ "| Query | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/request "
				+ "| of which JIT compiler | SQL statements/request |\n|---|---|---|---|---|---|---|---|---|\n");
		for (int i = 0; i < v.queries.size(); i++) {
			Load.Result query = v.queries.get(i);
			Cost cost = v.queryCosts.get(i);
			md.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %.1f | %d | %.2f | %.2f | %.1f |%n",
					query.name(), query.requestsPerSecond(), query.percentileMillis(0.5), query.percentileMillis(0.95),
					query.percentileMillis(0.99), query.errors(), cost.cpuMillis(), cost.compilerMillis(),
					cost.statements()));
		}
		md.append("\n![Query throughput](queries-throughput.png)\n![Query latency](queries-latency.png)\n");
		chart(v.queries);
		if (this.reference != null) {
			reference(md);
		}
		if (!this.comparisons.isEmpty()) {
			comparisons(md);
		}
		if (!this.main.profiles.isEmpty()) {
			profiles(md, this.main.profiles);
		}
		Files.writeString(file(), md);
	}

	/**
	 * The main run against the reference server, measured in this run on the same feed
	 * and queries: for rates Crosswalk over the reference (above 1, Crosswalk is faster),
	 * for costs and sizes Crosswalk over the reference (below 1, Crosswalk spends less).
	 */
	private void reference(StringBuilder md) {
		Variant c = this.main;
		Variant r = this.reference;
		md.append(String.format(Locale.ROOT, "%n## Against the reference server%n%n%s, started by whoever ran the "
				+ "benchmark on an empty database, fed the same shared bundles and the same %d bundles without "
				+ "credentials, then the same queries but the audit trail's, in turns with the main run so that both "
				+ "servers are measured in the same minutes: the first half of the bundles here, then there, the "
				+ "second half here, then there; each query for half its time here, then there, here, there (each "
				+ "server warmed up before its first). Ratios are Crosswalk over "
				+ "the reference: for rates above 1 is faster, for costs and sizes below 1 is less. A HAPI server "
				+ "answers a search it ran in the last minute from its stored results, as its `X-Cache: HIT` header "
				+ "says; Crosswalk keeps a count, or the ids of a page, until a write to the type searched commits, "
				+ "and a client's `$everything` until a write to its hospital commits, and reads the resources each "
				+ "time (its `cache_gets_total{cache=\"results\"}` hits)%s.%n%n"
				+ "| Measure | Crosswalk | Reference | Ratio |%n|---|---|---|---|%n", this.settings.reference().url(),
				r.ingest.requests(),
				this.settings.reference().noCache()
						? "; here every query to the reference carried `Cache-Control: no-cache`, which turns that off"
						: ""));
		compare(md, "Ingest, resources/s", c.ingest.perSecond(), r.ingest.perSecond(), "%.0f");
		compare(md, "Ingest, server CPU ms per resource", 1000 * c.ingestCpu.seconds() / c.ingest.units(),
				1000 * r.ingestCpu.seconds() / r.ingest.units(), "%.2f");
		compare(md, "Ingest, server CPU ms per resource outside the JIT compiler",
				1000 * c.ingestCpu.outsideCompiler() / c.ingest.units(),
				1000 * r.ingestCpu.outsideCompiler() / r.ingest.units(), "%.2f");
		compare(md, "Database size after ingest, KiB per resource", c.databaseBytes / 1024.0 / c.ingest.units(),
				r.databaseBytes / 1024.0 / r.ingest.units(), "%.2f");
		compare(md, "Tables' growth during ingest, KiB per resource", c.grownKiBPerResource(), r.grownKiBPerResource(),
				"%.2f");
		compare(md, "WAL per resource, KiB", c.walBytes / 1024.0 / c.ingest.units(),
				r.walBytes / 1024.0 / r.ingest.units(), "%.1f");
		for (int i = 0; i < r.queries.size(); i++) {
			Load.Result reference = r.queries.get(i);
			for (int j = 0; j < c.queries.size(); j++) {
				if (c.queries.get(j).name().equals(reference.name())) {
					compare(md, reference.name() + ", req/s", c.queries.get(j).requestsPerSecond(),
							reference.requestsPerSecond(), "%.0f");
					compare(md, reference.name() + ", server CPU ms per request", c.queryCosts.get(j).cpuMillis(),
							r.queryCosts.get(i).cpuMillis(), "%.2f");
					compare(md, reference.name() + ", outside the JIT compiler",
							c.queryCosts.get(j).outsideCompilerMillis(), r.queryCosts.get(i).outsideCompilerMillis(),
							"%.2f");
					md.append(String.format(Locale.ROOT,
							"| %s, answered from a cache of earlier searches | %.0f %% | " + "%.0f %% | |%n",
							reference.name(), c.queryCosts.get(j).keptPercent(), cachedPercent(reference)));
				}
			}
		}
	}

	private static double cachedPercent(Load.Result result) {
		return (result.requests() == 0) ? 0 : 100.0 * result.cacheHits() / result.requests();
	}

	private static void compare(StringBuilder md, String measure, double crosswalk, double reference, String format) {
		if (Double.isNaN(reference) || reference == 0) {
			md.append(String.format(Locale.ROOT, "| %s | " + format + " | not measured | |%n", measure, crosswalk));
			return;
		}
		md.append(String.format(Locale.ROOT, "| %s | " + format + " | " + format + " | %.2f |%n", measure, crosswalk,
				reference, crosswalk / reference));
	}

	private void comparisons(StringBuilder md) throws IOException {
		Variant base = this.comparisons.get("all on");
		String warmup = (this.compareWarmupPatients == 0) ? "" : String.format(Locale.ROOT,
				" after %d not measured (their ingest compiles the write path first)", this.compareWarmupPatients);
		md.append(String.format(Locale.ROOT,
				"%n## On/off comparisons%n%nFresh servers, %d patients measured each%s, read by id measured as "
						+ "above.%n%n",
				this.comparePatients, warmup));
		Variant floor = this.comparisons.get("all off");
		md.append("Each extra (audit, profile validation, linkage) alone over HAPI's own JPA path (all off), and all "
				+ "together. Server CPU is the server process's user and system time, over resources ingested or "
				+ "requests served.\n\n");
		md.append(
				"| Server | ingest resources/s | CPU ms per resource | CPU × all off | tables' growth KiB per resource "
						+ "| × all off | read by id req/s | CPU ms per read | CPU × all off |\n"
						+ "|---|---|---|---|---|---|---|---|---|\n");
		List<String> names = new ArrayList<>();
		List<Double> ingest = new ArrayList<>();
		List<Double> reads = new ArrayList<>();
		for (Map.Entry<String, Variant> entry : this.comparisons.entrySet()) {
			Variant variant = entry.getValue();
			double cpuPerResource = 1000 * variant.ingestCpu.seconds() / variant.ingest.units();
			double floorPerResource = 1000 * floor.ingestCpu.seconds() / floor.ingest.units();
			double cpuPerRead = variant.queryCosts.get(0).cpuMillis();
			double bytesPerResource = variant.grownKiBPerResource();
			md.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f |%n",
					entry.getKey(), variant.ingest.perSecond(), cpuPerResource, cpuPerResource / floorPerResource,
					bytesPerResource, bytesPerResource / floor.grownKiBPerResource(),
					variant.queries.get(0).requestsPerSecond(), cpuPerRead,
					cpuPerRead / floor.queryCosts.get(0).cpuMillis()));
			names.add(entry.getKey());
			ingest.add(variant.ingest.perSecond() / base.ingest.perSecond());
			reads.add(variant.queries.get(0).requestsPerSecond() / base.queries.get(0).requestsPerSecond());
		}
		md.append("\nThe chart gives throughput relative to all on: above 1, switching extras off gains.\n");
		md.append("\n![On/off comparisons](comparisons.png)\n");
		CategoryChart chart = new CategoryChartBuilder().width(900)
			.height(450)
			.title("Throughput relative to everything on")
			.yAxisTitle("ratio")
			.build();
		chart.addSeries("ingest", names, ingest);
		chart.addSeries("read by id", names, reads);
		BitmapEncoder.saveBitmap(chart, this.settings.output().resolve("comparisons").toString(),
				BitmapEncoder.BitmapFormat.PNG);
	}

	private void profiles(StringBuilder md, List<Profiler.Profile> profiles) {
		md.append(String.format(Locale.ROOT, "%n## Where the server's CPU goes%n%nasync-profiler samples (%s) of the "
				+ "main run, one flame graph per phase. A part's share counts the samples in which any of its frames "
				+ "is on the stack, servlet filters aside (they wrap whole requests), so parts overlap: validation "
				+ "runs inside HAPI JPA's hooks.%n%n", profiles.get(0).event()));
		List<String> parts = Profiler.Profile.partNames();
		md.append("| Phase | samples | flame graph |");
		parts.forEach((part) -> md.append(' ').append(part).append(" |"));
		md.append("\n|---|---|---|").append("---|".repeat(parts.size())).append('\n');
		for (Profiler.Profile profile : profiles) {
			md.append(String.format(Locale.ROOT, "| %s | %d | [%s](%s) |", profile.phase(), profile.samples(),
					profile.flameGraph().getFileName(),
					this.settings.output().relativize(profile.flameGraph()).toString().replace('\\', '/')));
			for (String part : parts) {
				double share = profile.parts()
					.stream()
					.filter((candidate) -> candidate.name().equals(part))
					.mapToDouble(Profiler.Share::share)
					.findFirst()
					.orElse(0);
				md.append(String.format(Locale.ROOT, " %.0f %% |", 100 * share));
			}
			md.append('\n');
		}
		for (Profiler.Profile profile : profiles) {
			md.append(String.format(Locale.ROOT, "%nTop frames (self time), %s:%n%n| Frame | share |%n|---|---|%n",
					profile.phase()));
			for (Profiler.Share frame : profile.topFrames()) {
				md.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", frame.name(), 100 * frame.share()));
			}
		}
	}

	private static void rowsByTable(StringBuilder md, Variant v) {
		double units = v.ingest.units();
		md.append("\nRows written per resource ingested, by table (at least 0.1):\n\n"
				+ "| Table | Inserted | Updated or deleted |\n|---|---|---|\n");
		v.rowsByTable.entrySet()
			.stream()
			.sorted(Comparator
				.comparingLong((Map.Entry<String, long[]> table) -> -(table.getValue()[0] + table.getValue()[1])))
			.filter((table) -> (table.getValue()[0] + table.getValue()[1]) / units >= 0.1)
			.forEach((table) -> md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |%n", table.getKey(),
					table.getValue()[0] / units, table.getValue()[1] / units)));
	}

	private static void bytesByTable(StringBuilder md, Variant v) {
		double units = v.ingest.units();
		md.append("\nDatabase bytes per resource ingested, by table: what each grew by during the ingest, "
				+ "including the audit records of the ingest (at least 0.05 KiB):\n\n"
				+ "| Table | Data (heap and TOAST) KiB | Indexes KiB |\n|---|---|---|\n");
		v.bytesByTable.entrySet()
			.stream()
			.sorted(Comparator
				.comparingLong((Map.Entry<String, long[]> table) -> -(table.getValue()[0] + table.getValue()[1])))
			.filter((table) -> (table.getValue()[0] + table.getValue()[1]) / 1024.0 / units >= 0.05)
			.forEach((table) -> md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |%n", table.getKey(),
					table.getValue()[0] / 1024.0 / units, table.getValue()[1] / 1024.0 / units)));
	}

	private void chart(List<Load.Result> queries) throws IOException {
		List<String> names = queries.stream().map(Load.Result::name).toList();
		CategoryChart throughput = new CategoryChartBuilder().width(1100)
			.height(500)
			.title("Requests per second, concurrency " + this.settings.concurrency())
			.yAxisTitle("req/s")
			.build();
		throughput.getStyler().setXAxisLabelRotation(30);
		throughput.getStyler().setLegendVisible(false);
		throughput.addSeries("req/s", names, queries.stream().map(Load.Result::requestsPerSecond).toList());
		BitmapEncoder.saveBitmap(throughput, this.settings.output().resolve("queries-throughput").toString(),
				BitmapEncoder.BitmapFormat.PNG);
		CategoryChart latency = new CategoryChartBuilder().width(1100)
			.height(500)
			.title("Latency percentiles")
			.yAxisTitle("ms")
			.build();
		latency.getStyler().setXAxisLabelRotation(30);
		for (double quantile : new double[] { 0.5, 0.95, 0.99 }) {
			latency.addSeries("p" + Math.round(quantile * 100), names,
					queries.stream().map((query) -> query.percentileMillis(quantile)).toList());
		}
		BitmapEncoder.saveBitmap(latency, this.settings.output().resolve("queries-latency").toString(),
				BitmapEncoder.BitmapFormat.PNG);
	}

	private static void row(StringBuilder md, String measure, String format, Object... values) {
		md.append("| ").append(measure).append(" | ").append(String.format(Locale.ROOT, format, values)).append(" |\n");
	}

	private static double totalMemoryGiB() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
		}
		return Double.NaN;
	}

	private static String ordinal(int every) {
		return switch (every) {
			case 0 -> "none";
			case 1 -> "every patient";
			default -> "every " + every + "th patient";
		};
	}

	private static void topStatements(StringBuilder md, Variant v) {
		if (v.topIngestStatements.isEmpty()) {
			return;
		}
		double units = v.ingest.units();
		md.append("\nSQL statements executed most often during ingest, per resource ingested "
				+ "(`pg_stat_statements`):\n\n| Per resource | Time per resource ms | Statement |\n|---|---|---|\n");
		for (Database.StatementCount statement : v.topIngestStatements) {
			String query = statement.query().replaceAll("\\s+", " ").replace("|", "\\|");
			if (query.length() > 160) {
				query = query.substring(0, 157) + "...";
			}
			md.append(String.format(Locale.ROOT, "| %.2f | %.3f | `%s` |%n", statement.calls() / units,
					statement.totalMillis() / units, query));
		}
	}

	/**
	 * What a measured query cost the server per request.
	 *
	 * @param cpuMillis server process CPU (all threads)
	 * @param compilerMillis of which in the JIT compiler's threads
	 * @param statements SQL statements the server executed (NaN when not known)
	 * @param keptPercent the share of requests whose count, page of ids or stored
	 * {@code $everything} Crosswalk took from the results it keeps (NaN for another
	 * server)
	 */
	record Cost(double cpuMillis, double compilerMillis, double statements, double keptPercent) {

		double outsideCompilerMillis() {
			return this.cpuMillis - this.compilerMillis;
		}

	}

	/**
	 * A Bulk Data export of every hospital at once.
	 *
	 * @param hospitals exports started
	 * @param resources NDJSON lines in their files
	 * @param files files in their manifests
	 * @param seconds from the first kick-off to the last manifest
	 * @param cpuSeconds the server's CPU over that time
	 * @param downloadSeconds downloading every file
	 */
	record Export(int hospitals, long resources, int files, double seconds, double cpuSeconds, double downloadSeconds) {
	}

	/**
	 * The import of one hospital's export back into it.
	 *
	 * @param written resources created or updated
	 * @param refused records refused
	 * @param seconds the whole run of the import engine
	 * @param cpuSeconds the server's CPU over that time
	 * @param reasons up to three distinct reasons of refusals
	 */
	record Import(long written, int refused, double seconds, double cpuSeconds, List<String> reasons) {
	}

	/**
	 * What one server measured.
	 */
	static final class Variant {

		double startupSeconds;

		double sealCatchUpSeconds;

		Load.Result ingest;

		Cpu.Spent ingestCpu = Cpu.Spent.UNKNOWN;

		boolean statementStatistics;

		long ingestStatements;

		List<Database.StatementCount> topIngestStatements = List.of();

		long rowsWritten;

		Map<String, long[]> rowsByTable = Map.of();

		Map<String, long[]> bytesByTable = Map.of();

		long walBytes;

		long databaseBytes;

		final List<Load.Result> queries = new ArrayList<>();

		final List<Cost> queryCosts = new ArrayList<>();

		/** A query's measure, with what it cost. */
		void add(Benchmark.Window window) {
			this.queries.add(window.result());
			this.queryCosts.add(window.cost());
		}

		double rssMiB;

		double heapMiB;

		Database.Ceiling ceiling;

		/** The Bulk Data export of every hospital, in the main run. */
		Export export;

		/** The first hospital's export imported back, in the main run. */
		Import imported;

		/** What async-profiler sampled in each phase, when it ran. */
		final List<Profiler.Profile> profiles = new ArrayList<>();

		/** The answer of {@code AuditEvent/$verify} after the run, as JSON. */
		String auditChain;

		/**
		 * What the tables grew by during the measured ingest, data and indexes, per
		 * resource: unlike the database's size, without what was there before it.
		 */
		/**
		 * Records what the database wrote and grew by between two snapshots.
		 */
		void grew(Database.Snapshot before, Database.Snapshot after) {
			this.rowsWritten = after.rows() - before.rows();
			this.rowsByTable = after.rowsSince(before);
			this.bytesByTable = after.bytesSince(before);
			this.walBytes = after.walBytes() - before.walBytes();
			this.databaseBytes = after.sizeBytes();
		}

		double grownKiBPerResource() {
			long bytes = this.bytesByTable.values().stream().mapToLong((grown) -> grown[0] + grown[1]).sum();
			return bytes / 1024.0 / this.ingest.units();
		}

		String auditChainSummary() {
			if (this.auditChain == null) {
				return "not verified";
			}
			org.hl7.fhir.r4.model.Parameters verdict = ca.uhn.fhir.context.FhirContext.forR4Cached()
				.newJsonParser()
				.parseResource(org.hl7.fhir.r4.model.Parameters.class, this.auditChain);
			return verdict.getParameter("result").getValue().primitiveValue() + ", "
					+ verdict.getParameter("checked").getValue().primitiveValue() + " records checked, "
					+ verdict.getParameter("unsealed").getValue().primitiveValue() + " not yet sealed";
		}

	}

}
