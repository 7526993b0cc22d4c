package health.crosswalk.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.bench.SyntheaFeed.PatientFacts;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * One benchmark run: the server with everything on, fed and queried as a hospital network
 * would; then, when asked, the same smaller load on fresh servers with audit, profile
 * validation or linkage switched off, for their cost as ratios.
 */
final class Benchmark {

	private static final Pattern LOCATION = Pattern.compile("^([A-Za-z]+)/([^/]+)");

	private static final String AUDIT_QUERY = "AuditEvent by patient";

	private final BenchSettings settings;

	private final FhirContext fhir = FhirContext.forR4Cached();

	Benchmark(BenchSettings settings) {
		this.settings = settings;
	}

	Report run() throws Exception {
		SyntheaFeed feed = new SyntheaFeed(this.fhir, this.settings.synthea());
		Report report = new Report(this.settings, feed.patientCount());
		Reference reference = this.settings.reference().isSet() ? new Reference(feed, feed.patientCount()) : null;
		report.main = variant("all-on", Map.of(), feed, feed.patientCount(), 0, true, reference);
		if (reference != null) {
			report.reference = reference.variant;
		}
		if (this.settings.comparePatients() > 0 && !this.settings.externalDatabase()) {
			int patients = Math.min(this.settings.comparePatients(), feed.patientCount());
			int warmup = Math.min(this.settings.compareWarmupPatients(), feed.patientCount() - patients);
			report.comparePatients = patients;
			report.compareWarmupPatients = warmup;
			report.comparisons.put("all on",
					variant("cmp-all-on", extras(true, true, true), feed, patients, warmup, false, null));
			report.comparisons.put("audit alone",
					variant("cmp-audit-alone", extras(true, false, false), feed, patients, warmup, false, null));
			report.comparisons.put("profiles alone",
					variant("cmp-profiles-alone", extras(false, true, false), feed, patients, warmup, false, null));
			report.comparisons.put("linkage alone",
					variant("cmp-linkage-alone", extras(false, false, true), feed, patients, warmup, false, null));
			report.comparisons.put("all off",
					variant("cmp-all-off", extras(false, false, false), feed, patients, warmup, false, null));
		}
		report.write();
		return report;
	}

	/** The three extras over HAPI's own JPA path, each on or off. */
	private static Map<String, String> extras(boolean audit, boolean profiles, boolean linkage) {
		return Map.of("crosswalk.audit.enabled", Boolean.toString(audit), "crosswalk.profiles.enforce",
				Boolean.toString(profiles), "crosswalk.linkage.enabled", Boolean.toString(linkage));
	}

	/**
	 * Starts a server, feeds it and measures it.
	 * @param patients the patients whose ingest is measured: the first of the feed
	 * @param warmupPatients the patients after them, ingested first and not measured
	 * @param full whether to profile, export, import and verify too (the main run)
	 * @param reference the reference server measured in turns with this one, or null
	 */
	private Report.Variant variant(String name, Map<String, String> properties, SyntheaFeed feed, int patients,
			int warmupPatients, boolean full, Reference reference) throws Exception {
		Report.Variant variant = new Report.Variant();
		try (ServerProcess server = ServerProcess.start(this.settings, this.settings.output().resolve(name),
				properties)) {
			variant.startupSeconds = server.startupSeconds();
			Load load = new Load(server.baseUrl());
			String admin = server.demoKey("network\\s+admin");
			String auditor = server.demoKey("network\\s+auditor");
			Map<String, String> keys = hospitals(load, admin);
			List<String> slugs = new ArrayList<>(keys.keySet());
			feedShared(load, keys, feed, "");
			List<SyntheaFeed.Delivery> deliveries = feed.deliveries(slugs, this.settings.overlapEvery(), patients);
			if (warmupPatients > 0) {
				warmUp(load, keys, feed,
						feed.deliveries(slugs, this.settings.overlapEvery(), patients, patients + warmupPatients));
			}
			if (reference != null) {
				feedShared(reference.load, reference.keys, feed, "reference: ");
			}
			Batch batch = batch(feed, deliveries, full);
			List<String> bodies = batch.bodies();
			List<PatientFacts> facts = batch.facts();
			List<List<String>> resources = batch.resources();
			int[] units = batch.units();
			Database database = new Database(server.jdbcUrl(this.settings), this.settings.dbUsername(),
					this.settings.dbPassword());
			Database.Snapshot before = database.snapshot();
			variant.statementStatistics = database.resetStatements();
			Profiler profiler = (full && this.settings.profile())
					? Profiler.of(server.pid(), this.settings.output().resolve(name).resolve("profiles")) : null;
			Cpu cpuBefore = server.cpu();
			List<Supplier<HttpResponse<String>>> tasks = new ArrayList<>();
			List<HttpResponse<String>> responses = new ArrayList<>(java.util.Collections.nCopies(bodies.size(), null));
			for (int i = 0; i < bodies.size(); i++) {
				int index = i;
				String key = keys.get(facts.get(i).hospital);
				tasks.add(() -> {
					HttpResponse<String> response = load.post("/fhir", key, "application/fhir+json", bodies.get(index));
					responses.set(index, response);
					return response;
				});
			}
			if (profiler != null) {
				profiler.start();
			}
			if (reference == null) {
				variant.ingest = load.once("ingest", this.settings.concurrency(), tasks, units);
				variant.ingestCpu = server.cpu().since(cpuBefore);
			}
			else {
				// Halves in turns: the first half here, then there, the second here, then
				// there, each server's CPU counted over its own halves.
				reference.startIngest();
				int half = tasks.size() / 2;
				variant.ingest = load.once("ingest", this.settings.concurrency(), tasks.subList(0, half),
						Arrays.copyOfRange(units, 0, half));
				variant.ingestCpu = server.cpu().since(cpuBefore);
				reference.ingest(0, half);
				Cpu secondHalf = server.cpu();
				variant.ingest = variant.ingest.plus(load.once("ingest", this.settings.concurrency(),
						tasks.subList(half, tasks.size()), Arrays.copyOfRange(units, half, units.length)));
				variant.ingestCpu = variant.ingestCpu.plus(server.cpu().since(secondHalf));
				reference.ingest(half, tasks.size());
				reference.endIngest();
			}
			if (profiler != null) {
				variant.profiles.add(profiler.stop("ingest"));
			}
			if (variant.statementStatistics) {
				variant.ingestStatements = database.statements();
				variant.topIngestStatements = database.topStatements(12);
			}
			variant.grew(before, database.snapshot());
			for (int i = 0; i < responses.size(); i++) {
				collectIds(responses.get(i), facts.get(i));
			}
			List<PatientFacts> known = facts.stream().filter((f) -> f.patientId != null).toList();
			if (known.isEmpty()) {
				throw new IllegalStateException("No patient was ingested; see " + this.settings.output().resolve(name));
			}
			// The sealer chains the ingest's audit records in the background; the
			// queries are measured once it has caught up, not while it competes
			// with them.
			variant.sealCatchUpSeconds = awaitSealed(load, auditor);
			Turn turn = new Turn(load, this.settings.concurrency(), server.pid(),
					variant.statementStatistics ? database : null, () -> keptAnswers(load, admin));
			measureQueries(turn, queries(load, keys, auditor, known, full), variant, profiler, reference);
			if (full) {
				if (profiler != null) {
					profiler.start();
				}
				Path files = this.settings.output().resolve("export-" + keys.keySet().iterator().next());
				variant.export = export(load, keys, server, files);
				if (profiler != null) {
					variant.profiles.add(profiler.stop("bulk export"));
					profiler.start();
				}
				variant.imported = reimport(load, keys.entrySet().iterator().next(), server, files);
				if (profiler != null) {
					variant.profiles.add(profiler.stop("import"));
				}
				HttpResponse<String> verify = load.get("/fhir/AuditEvent/$verify", auditor);
				check(verify, "audit chain verification");
				variant.auditChain = verify.body();
			}
			variant.rssMiB = server.rssMiB();
			variant.heapMiB = heapMiB(load, admin);
			if (full) {
				variant.ceiling = database.ceiling(resources);
			}
		}
		return variant;
	}

	/**
	 * Sends each hospital the feed's shared bundles (its organizations and
	 * practitioners), each encoded once.
	 * @param keys each hospital's key by slug (null values for a server without
	 * credentials)
	 * @param what how a failure names the server
	 */
	private void feedShared(Load load, Map<String, String> keys, SyntheaFeed feed, String what) throws IOException {
		List<String> bodies = new ArrayList<>();
		for (Path shared : feed.sharedBundles()) {
			bodies.add(this.fhir.newJsonParser().encodeResourceToString(feed.read(shared)));
		}
		for (Map.Entry<String, String> hospital : keys.entrySet()) {
			for (int i = 0; i < bodies.size(); i++) {
				check(load.post("/fhir", hospital.getValue(), "application/fhir+json", bodies.get(i)),
						what + "shared bundle " + feed.sharedBundles().get(i) + " for " + hospital.getKey());
			}
		}
	}

	/** The measured deliveries as request bodies, with what the queries ask of each. */
	private record Batch(List<String> bodies, List<PatientFacts> facts, List<List<String>> resources, int[] units) {
	}

	private Batch batch(SyntheaFeed feed, List<SyntheaFeed.Delivery> deliveries, boolean keepResources)
			throws IOException {
		List<String> bodies = new ArrayList<>();
		List<PatientFacts> facts = new ArrayList<>();
		List<List<String>> resources = new ArrayList<>();
		int[] units = new int[deliveries.size()];
		for (int i = 0; i < deliveries.size(); i++) {
			SyntheaFeed.Prepared prepared = feed.prepare(deliveries.get(i));
			prepared.facts().hospital = deliveries.get(i).hospital();
			bodies.add(this.fhir.newJsonParser().encodeResourceToString(prepared.bundle()));
			facts.add(prepared.facts());
			units[i] = prepared.resources();
			if (keepResources) {
				List<String> json = new ArrayList<>();
				for (BundleEntryComponent entry : prepared.bundle().getEntry()) {
					json.add(this.fhir.newJsonParser().encodeResourceToString(entry.getResource()));
				}
				resources.add(json);
			}
		}
		return new Batch(bodies, facts, resources, units);
	}

	/**
	 * Warms up and measures each query, with the server's CPU per request when its
	 * process is known (pid above 0), SQL statements when the database counts them, and
	 * the answers taken from the results Crosswalk keeps. With a reference server, each
	 * query is measured in two windows of half the duration on each server, in turns
	 * (here, there, here, there), the reference warmed up before its first.
	 *
	 * <p>
	 * Before any query is measured, each is run through one warm-up on each server, so
	 * that the queries measured first run code warmed up as long as the later ones'. With
	 * one warm-up of 10 seconds, stock's read by id, measured first, cost 4.79 ms outside
	 * the JIT compiler in run AC; after this first pass, 2.84 ms in run AD, on the
	 * machine running at about the same speed.
	 */
	private void measureQueries(Turn main, Map<String, Supplier<HttpResponse<String>>> queries, Report.Variant variant,
			Profiler profiler, Reference reference) throws Exception {
		for (Map.Entry<String, Supplier<HttpResponse<String>>> query : queries.entrySet()) {
			warm(main.load(), query.getValue());
			warm((reference != null) ? reference.load : null, there(reference, query.getKey()));
		}
		for (Map.Entry<String, Supplier<HttpResponse<String>>> query : queries.entrySet()) {
			warm(main.load(), query.getValue());
			Supplier<HttpResponse<String>> there = there(reference, query.getKey());
			Duration window = (there != null) ? this.settings.duration().dividedBy(2) : this.settings.duration();
			if (profiler != null) {
				profiler.start();
			}
			Window here = main.measure(query.getKey(), query.getValue(), window);
			if (profiler != null) {
				variant.profiles.add(profiler.stop(query.getKey()));
			}
			if (there != null) {
				warm(reference.load, there);
				Window first = reference.turn().measure(query.getKey(), there, window);
				here = here.plus(main.measure(query.getKey(), query.getValue(), window));
				reference.variant.add(first.plus(reference.turn().measure(query.getKey(), there, window)));
			}
			variant.add(here);
		}
	}

	/**
	 * The reference's form of a query, or null without a reference or for a query it
	 * lacks.
	 */
	private static Supplier<HttpResponse<String>> there(Reference reference, String query) {
		return (reference != null) ? reference.queries.get(query) : null;
	}

	/** One warm-up of a query on a server; nothing when the server does not run it. */
	private void warm(Load load, Supplier<HttpResponse<String>> request) throws InterruptedException {
		if (load != null && request != null) {
			load.warm(this.settings.concurrency(), this.settings.warmup(), request);
		}
	}

	/**
	 * One server as the queries measure it.
	 *
	 * @param load its load generator
	 * @param concurrency clients at once
	 * @param pid its process, or 0 when its CPU is not measured
	 * @param database its database when it counts statements, or null
	 * @param kept the requests Crosswalk has answered from the results it keeps so far
	 * (NaN for another server)
	 */
	private record Turn(Load load, int concurrency, long pid, Database database, DoubleSupplier kept) {

		Window measure(String name, Supplier<HttpResponse<String>> request, Duration duration) throws Exception {
			Cpu cpu = (this.pid > 0) ? Cpu.of(this.pid) : null;
			long statements = (this.database != null) ? this.database.statements() : 0;
			double keptBefore = this.kept.getAsDouble();
			Load.Result result = this.load.timed(name, this.concurrency, duration, request);
			Cpu.Spent spent = (cpu != null) ? Cpu.of(this.pid).since(cpu) : Cpu.Spent.UNKNOWN;
			return new Window(result, spent,
					(this.database != null) ? this.database.statements() - statements : Double.NaN,
					this.kept.getAsDouble() - keptBefore);
		}

	}

	/**
	 * What one or more windows of a query measured on one server.
	 *
	 * @param result requests, errors and latencies
	 * @param cpu the server's CPU over them
	 * @param statements SQL statements it executed (NaN when not known)
	 * @param kept requests it answered from the results it keeps (NaN for another server)
	 */
	record Window(Load.Result result, Cpu.Spent cpu, double statements, double kept) {

		Window plus(Window later) {
			return new Window(this.result.plus(later.result), this.cpu.plus(later.cpu),
					this.statements + later.statements, this.kept + later.kept);
		}

		Report.Cost cost() {
			long requests = this.result.requests();
			return new Report.Cost(1000 * this.cpu.seconds() / requests, 1000 * this.cpu.compilerSeconds() / requests,
					this.statements / requests, 100 * this.kept / requests);
		}

	}

	/**
	 * The reference server ({@code bench.reference.*}), measured in turns with the main
	 * run so that both servers are measured on the machine in the same minutes: fed the
	 * same shared bundles and deliveries without credentials, each half of the ingest
	 * right after the main run's, and each query's windows alternating with the main
	 * run's, all but the audit trail's query. Its CPU is measured when its process id is
	 * given, its database when its URL is.
	 */
	private final class Reference {

		private final BenchSettings.ReferenceServer server = Benchmark.this.settings.reference();

		final Report.Variant variant = new Report.Variant();

		final Load load;

		final Map<String, String> keys = new LinkedHashMap<>();

		private final Batch batch;

		private final Database database;

		private final List<HttpResponse<String>> responses;

		private final List<Supplier<HttpResponse<String>>> tasks = new ArrayList<>();

		private Database.Snapshot before;

		Map<String, Supplier<HttpResponse<String>>> queries = Map.of();

		Reference(SyntheaFeed feed, int patients) throws IOException {
			this.load = this.server.noCache() ? new Load(this.server.url(), "Cache-Control", "no-cache")
					: new Load(this.server.url());
			for (int i = 1; i <= Benchmark.this.settings.hospitals(); i++) {
				this.keys.put("bench-h" + i, null);
			}
			this.batch = batch(feed, feed.deliveries(new ArrayList<>(this.keys.keySet()),
					Benchmark.this.settings.overlapEvery(), patients), false);
			this.database = this.server.dbUrl().isBlank() ? null
					: new Database(this.server.dbUrl(), this.server.dbUsername(), this.server.dbPassword());
			this.responses = new ArrayList<>(java.util.Collections.nCopies(this.batch.bodies().size(), null));
			for (int i = 0; i < this.batch.bodies().size(); i++) {
				int index = i;
				this.tasks.add(() -> {
					HttpResponse<String> response = this.load.post("/fhir", null, "application/fhir+json",
							this.batch.bodies().get(index));
					this.responses.set(index, response);
					return response;
				});
			}
		}

		void startIngest() throws Exception {
			this.before = (this.database != null) ? this.database.snapshot() : null;
			this.variant.statementStatistics = (this.database != null) && this.database.resetStatements();
		}

		/** Ingests the deliveries from one index to another, measured. */
		void ingest(int from, int to) throws Exception {
			Cpu cpu = (this.server.pid() > 0) ? Cpu.of(this.server.pid()) : null;
			Load.Result result = this.load.once("reference ingest", Benchmark.this.settings.concurrency(),
					this.tasks.subList(from, to), Arrays.copyOfRange(this.batch.units(), from, to));
			Cpu.Spent spent = (cpu != null) ? Cpu.of(this.server.pid()).since(cpu) : Cpu.Spent.UNKNOWN;
			this.variant.ingest = (this.variant.ingest != null) ? this.variant.ingest.plus(result) : result;
			this.variant.ingestCpu = (from > 0) ? this.variant.ingestCpu.plus(spent) : spent;
		}

		/** What the ingest wrote, and the queries on what it stored. */
		void endIngest() throws Exception {
			if (this.database != null) {
				if (this.variant.statementStatistics) {
					this.variant.ingestStatements = this.database.statements();
				}
				this.variant.grew(this.before, this.database.snapshot());
			}
			for (int i = 0; i < this.responses.size(); i++) {
				collectIds(this.responses.get(i), this.batch.facts().get(i));
			}
			List<PatientFacts> known = this.batch.facts().stream().filter((f) -> f.patientId != null).toList();
			if (known.isEmpty()) {
				throw new IllegalStateException("The reference server stored no patient; see its log");
			}
			this.queries = queries(this.load, this.keys, null, known, true);
			this.queries.remove(AUDIT_QUERY);
		}

		Turn turn() {
			return new Turn(this.load, Benchmark.this.settings.concurrency(), this.server.pid(),
					this.variant.statementStatistics ? this.database : null, () -> Double.NaN);
		}

	}

	/**
	 * Ingests bundles that are not measured, so that the server's write path is compiled
	 * before the measured ingest runs it, as in a server that has been up for a while.
	 */
	private void warmUp(Load load, Map<String, String> keys, SyntheaFeed feed, List<SyntheaFeed.Delivery> deliveries)
			throws Exception {
		List<Supplier<HttpResponse<String>>> tasks = new ArrayList<>();
		int[] units = new int[deliveries.size()];
		for (int i = 0; i < deliveries.size(); i++) {
			SyntheaFeed.Delivery delivery = deliveries.get(i);
			SyntheaFeed.Prepared prepared = feed.prepare(delivery);
			String body = this.fhir.newJsonParser().encodeResourceToString(prepared.bundle());
			units[i] = prepared.resources();
			tasks.add(() -> load.post("/fhir", keys.get(delivery.hospital()), "application/fhir+json", body));
		}
		Load.Result result = load.once("warm-up", this.settings.concurrency(), tasks, units);
		if (result.errors() > 0) {
			throw new IllegalStateException(result.errors() + " warm-up bundles failed; see the server log");
		}
	}

	/**
	 * Exports every hospital at once with Bulk Data {@code $export}, as each hospital's
	 * EHR would: kick-off, polling until every manifest is there, then every file
	 * downloaded as NDJSON and its lines counted.
	 */
	private static Report.Export export(Load load, Map<String, String> keys, ServerProcess server, Path firstFiles)
			throws IOException {
		// The files of an earlier run in the same folder are not this export's.
		if (Files.isDirectory(firstFiles)) {
			try (Stream<Path> earlier = Files.list(firstFiles)) {
				for (Path file : earlier.toList()) {
					Files.delete(file);
				}
			}
		}
		double cpu = server.cpuSeconds();
		long start = System.nanoTime();
		Map<String, String> polls = new LinkedHashMap<>();
		for (Map.Entry<String, String> hospital : keys.entrySet()) {
			HttpResponse<String> kickOff = load.get("/fhir/$export", hospital.getValue(), "Prefer", "respond-async");
			if (kickOff.statusCode() != 202) {
				throw new IllegalStateException("$export answered " + kickOff.statusCode() + ": " + kickOff.body());
			}
			URI status = URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());
			polls.put(hospital.getKey(), status.getRawPath() + "?" + status.getRawQuery());
		}
		Map<String, String> manifests = new LinkedHashMap<>();
		Awaitility.await("every hospital's export")
			.atMost(Duration.ofMinutes(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				for (Map.Entry<String, String> poll : polls.entrySet()) {
					if (manifests.containsKey(poll.getKey())) {
						continue;
					}
					HttpResponse<String> status = load.get(poll.getValue(), keys.get(poll.getKey()));
					if (status.statusCode() == 200) {
						manifests.put(poll.getKey(), status.body());
					}
					else if (status.statusCode() != 202) {
						throw new IllegalStateException("Export status " + status.statusCode() + ": " + status.body());
					}
				}
				return manifests.size() == polls.size();
			});
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuSeconds = server.cpuSeconds() - cpu;
		long downloadStart = System.nanoTime();
		long resources = 0;
		int files = 0;
		Pattern url = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");
		for (Map.Entry<String, String> manifest : manifests.entrySet()) {
			Matcher file = url.matcher(manifest.getValue());
			while (file.find()) {
				String path = URI.create(file.group(1)).getRawPath();
				HttpResponse<String> ndjson = load.get(path, keys.get(manifest.getKey()), "Accept",
						"application/fhir+ndjson");
				check(ndjson, "export file " + path);
				resources += ndjson.body().lines().filter((line) -> !line.isBlank()).count();
				files++;
				if (manifest.getKey().equals(keys.keySet().iterator().next())) {
					Files.createDirectories(firstFiles);
					Files.writeString(firstFiles.resolve(files + ".ndjson"), ndjson.body(), StandardCharsets.UTF_8);
				}
			}
		}
		return new Report.Export(keys.size(), resources, files, seconds, cpuSeconds,
				(System.nanoTime() - downloadStart) / 1e9);
	}

	/**
	 * Imports the first hospital's export back into it under a source of its own with
	 * FHIR {@code $import}, as its EHR would: each NDJSON file uploaded as a Binary, one
	 * kick-off naming them all, polling until the report. The server's job writes every
	 * resource again through its own FHIR API (new ids, the legacy ids as identifiers),
	 * validated, linked and audited like any write. Timed from the kick-off; the uploads
	 * are not counted.
	 */
	private Report.Import reimport(Load load, Map.Entry<String, String> hospital, ServerProcess server, Path files)
			throws IOException {
		Parameters request = new Parameters();
		request.addParameter("inputFormat", new CodeType("application/fhir+ndjson"));
		request.addParameter("inputSource", new UriType("https://bench.crosswalk.health/reimport"));
		List<Path> ndjson;
		try (Stream<Path> listed = Files.list(files)) {
			ndjson = listed.filter((file) -> file.toString().endsWith(".ndjson")).sorted().toList();
		}
		for (Path file : ndjson) {
			Binary binary = new Binary().setContentType("application/fhir+ndjson");
			binary.setData(Files.readAllBytes(file));
			HttpResponse<String> uploaded = load.post("/fhir/Binary", hospital.getValue(), "application/fhir+json",
					this.fhir.newJsonParser().encodeResourceToString(binary));
			check(uploaded, "upload of " + file.getFileName());
			String id = this.fhir.newJsonParser().parseResource(Binary.class, uploaded.body()).getIdPart();
			request.addParameter().setName("input").addPart().setName("url").setValue(new UriType("Binary/" + id));
		}
		double cpu = server.cpuSeconds();
		long start = System.nanoTime();
		HttpResponse<String> kickOff = load.post("/fhir/$import", hospital.getValue(), "application/fhir+json",
				this.fhir.newJsonParser().encodeResourceToString(request), "Prefer", "respond-async");
		if (kickOff.statusCode() != 202) {
			throw new IllegalStateException("$import answered " + kickOff.statusCode() + ": " + kickOff.body());
		}
		URI status = URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());
		String poll = status.getRawPath() + "?" + status.getRawQuery();
		HttpResponse<String>[] done = new HttpResponse[1];
		Awaitility.await("the $import")
			.atMost(Duration.ofMinutes(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				done[0] = load.get(poll, hospital.getValue());
				return done[0].statusCode() != 202;
			});
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuSeconds = server.cpuSeconds() - cpu;
		check(done[0], "$import report");
		OperationOutcome report = this.fhir.newJsonParser().parseResource(OperationOutcome.class, done[0].body());
		Matcher counts = Pattern.compile("(\\d+) records read, (\\d+) written, (\\d+) not imported")
			.matcher(report.getIssueFirstRep().getDiagnostics());
		if (!counts.find()) {
			throw new IllegalStateException("$import report without counts: " + done[0].body());
		}
		List<String> reasons = report.getIssue()
			.stream()
			.filter((issue) -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
			.map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
			.map((text) -> text.replaceFirst("^.* not imported: ", ""))
			.distinct()
			.limit(3)
			.toList();
		return new Report.Import(Long.parseLong(counts.group(2)), Integer.parseInt(counts.group(3)), seconds,
				cpuSeconds, reasons);
	}

	private Map<String, String> hospitals(Load load, String admin) {
		Map<String, String> keys = new LinkedHashMap<>();
		for (int i = 1; i <= this.settings.hospitals(); i++) {
			String slug = "bench-h" + i;
			check(load.post("/admin/hospitals", admin, "application/json",
					"{\"slug\":\"" + slug + "\",\"name\":\"Bench hospital " + i + "\",\"identifierSystems\":[\""
							+ SyntheaFeed.mrnSystemOf(slug) + "\"]}"),
					"register " + slug);
			HttpResponse<String> key = load.post("/admin/hospitals/" + slug + "/keys", admin, "application/json",
					"{\"role\":\"hospital-system\",\"label\":\"benchmark\"}");
			check(key, "key for " + slug);
			Matcher matcher = Pattern.compile("\"key\"\\s*:\\s*\"(cwk_[^\"]+)\"").matcher(key.body());
			if (!matcher.find()) {
				throw new IllegalStateException("No key in " + key.body());
			}
			keys.put(slug, matcher.group(1));
		}
		return keys;
	}

	private void collectIds(HttpResponse<String> response, PatientFacts facts) {
		if (response == null || response.statusCode() >= 300) {
			return;
		}
		Bundle bundle = this.fhir.newJsonParser().parseResource(Bundle.class, response.body());
		for (BundleEntryComponent entry : bundle.getEntry()) {
			Matcher location = LOCATION.matcher(entry.getResponse().getLocation());
			if (location.find()) {
				if ("Patient".equals(location.group(1))) {
					facts.patientId = location.group(2);
				}
				facts.resourceIds.add(location.group(1) + "/" + location.group(2));
			}
		}
	}

	/**
	 * Waits until the audit chain has sealed all but a handful of records (those of the
	 * polling itself), and returns how long that took.
	 */
	private static double awaitSealed(Load load, String auditor) {
		long start = System.nanoTime();
		Pattern unsealed = Pattern.compile("\"name\"\\s*:\\s*\"unsealed\"\\s*,\\s*\"valueDecimal\"\\s*:\\s*(\\d+)");
		Awaitility.await("the audit chain to seal the run's records")
			.atMost(Duration.ofMinutes(10))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				HttpResponse<String> verify = load.get("/fhir/AuditEvent/$verify?from=" + Instant.now(), auditor);
				Matcher matcher = unsealed.matcher(verify.body());
				if (verify.statusCode() != 200 || !matcher.find()) {
					throw new IllegalStateException("$verify answered " + verify.statusCode() + ": " + verify.body());
				}
				return Long.parseLong(matcher.group(1)) <= 5;
			});
		return (System.nanoTime() - start) / 1e9;
	}

	private Map<String, Supplier<HttpResponse<String>>> queries(Load load, Map<String, String> keys, String auditor,
			List<PatientFacts> patients, boolean full) {
		Map<String, Supplier<HttpResponse<String>>> queries = new LinkedHashMap<>();
		queries.put("read by id", query(load, keys, patients,
				(p) -> "/fhir/" + p.resourceIds.get(ThreadLocalRandom.current().nextInt(p.resourceIds.size()))));
		if (!full) {
			return queries;
		}
		queries.put("Patient by identifier",
				query(load, keys, patients, (p) -> "/fhir/Patient?identifier=" + encode(p.mrn)));
		queries.put("Patient by family",
				query(load, keys, patients, (p) -> "/fhir/Patient?family=" + encode(p.family)));
		queries.put("Observation by patient+code, sorted",
				query(load, keys, patients, (p) -> "/fhir/Observation?patient=" + p.patientId + "&code="
						+ encode(p.observationCode) + "&_sort=-date"));
		queries.put("Observation by patient, _count=50",
				query(load, keys, patients, (p) -> "/fhir/Observation?patient=" + p.patientId + "&_count=50"));
		queries.put("MedicationRequest by patient+status",
				query(load, keys, patients, (p) -> "/fhir/MedicationRequest?patient=" + p.patientId + "&status="
						+ ((p.medicationStatus != null) ? p.medicationStatus : "active")));
		queries.put("Appointment by patient+date",
				query(load, keys, patients, (p) -> "/fhir/Appointment?patient=" + p.patientId + "&date=ge2000-01-01"));
		queries.put("Patient/$everything",
				query(load, keys, patients, (p) -> "/fhir/Patient/" + p.patientId + "/$everything"));
		queries.put("Observation code+date, _summary=count", query(load, keys, patients,
				(p) -> "/fhir/Observation?code=" + encode(p.observationCode) + "&date=ge2000-01-01&_summary=count"));
		queries.put(AUDIT_QUERY, () -> {
			PatientFacts p = patients.get(ThreadLocalRandom.current().nextInt(patients.size()));
			return load.get("/fhir/AuditEvent?patient=Patient/" + p.patientId + "&_count=20", auditor);
		});
		return queries;
	}

	private static Supplier<HttpResponse<String>> query(Load load, Map<String, String> keys,
			List<PatientFacts> patients, Function<PatientFacts, String> path) {
		return () -> {
			PatientFacts p = patients.get(ThreadLocalRandom.current().nextInt(patients.size()));
			return load.get(path.apply(p), keys.get(p.hospital));
		};
	}

	/**
	 * The searches Crosswalk has answered from the results it keeps, so far.
	 */
	private static double keptAnswers(Load load, String admin) {
		return metric(load, admin, "cache.gets?tag=cache:results&tag=result:hit");
	}

	private static double heapMiB(Load load, String admin) {
		return metric(load, admin, "jvm.memory.used?tag=area:heap") / (1024 * 1024);
	}

	/**
	 * A metric's first value from the server's actuator, or NaN.
	 */
	private static double metric(Load load, String admin, String query) {
		HttpResponse<String> response = load.get("/actuator/metrics/" + query, admin);
		Matcher value = Pattern.compile("\"value\"\\s*:\\s*([0-9.E+]+)").matcher(response.body());
		return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
	}

	private static String encode(String value) {
		return URLEncoder.encode((value != null) ? value : "", StandardCharsets.UTF_8);
	}

	private static void check(HttpResponse<String> response, String what) {
		if (response.statusCode() >= 300) {
			throw new IllegalStateException(what + " failed: " + response.statusCode() + " " + response.body());
		}
	}

}
