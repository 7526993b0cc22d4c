package health.crosswalk.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a benchmark run does, from {@code bench.*} system properties. The defaults are the
 * smoke run of the default build: the integration tests' Synthea patient, short phases,
 * no on/off comparisons.
 *
 * @param synthea folder of Synthea's R4 bundles ({@code fhir/} inside it)
 * @param output where the report and charts go
 * @param hospitals how many hospitals the patients are fed through
 * @param overlapEvery every n-th patient is also fed through a second hospital under
 * another MRN (0 for none)
 * @param concurrency parallel clients during ingest and queries
 * @param warmup warm-up before each query is measured
 * @param duration how long each query is measured
 * @param comparePatients patients ingested and measured by each on/off comparison; 0
 * skips them
 * @param compareWarmupPatients patients each comparison server ingests first, unmeasured,
 * so that its measured ingest runs compiled code as the main run's does
 * @param jvmOptions options of the server's JVM
 * @param dbUrl an external PostgreSQL for the server, or empty for the embedded one
 * @param dbUsername its user
 * @param dbPassword its password
 * @param profile whether async-profiler samples the server during each phase of the main
 * run
 * @param reference another FHIR server, already running, fed and queried as the main run
 * is, for ratios measured in one run
 */
record BenchSettings(Path synthea, Path output, int hospitals, int overlapEvery, int concurrency, Duration warmup,
		Duration duration, int comparePatients, int compareWarmupPatients, List<String> jvmOptions, String dbUrl,
		String dbUsername, String dbPassword, boolean profile, ReferenceServer reference) {

	/**
	 * A FHIR server to compare with (a stock HAPI FHIR JPA server, say), started by
	 * whoever runs the benchmark on an empty database; requests carry no credentials.
	 *
	 * @param url its base URL, without {@code /fhir}; empty for none
	 * @param pid its process id, for its CPU time (0: CPU not measured)
	 * @param dbUrl the JDBC URL of its database, for sizes and WAL (empty: not measured)
	 * @param dbUsername a user that may read the database's statistics
	 * @param dbPassword its password
	 * @param noCache whether its queries carry {@code Cache-Control: no-cache}, which
	 * keeps a HAPI server from answering a search from its cache of earlier searches (as
	 * Crosswalk never does)
	 */
	record ReferenceServer(String url, long pid, String dbUrl, String dbUsername, String dbPassword, boolean noCache) {

		boolean isSet() {
			return !this.url.isBlank();
		}

	}

	static BenchSettings fromSystemProperties() {
		return new BenchSettings(Path.of(property("bench.synthea", "target/synthea")),
				Path.of(property("bench.output", "target/bench")), Integer.parseInt(property("bench.hospitals", "2")),
				Integer.parseInt(property("bench.overlap-every", "1")),
				Integer.parseInt(property("bench.concurrency", "2")),
				Duration.parse("PT" + property("bench.warmup", "1s")),
				Duration.parse("PT" + property("bench.duration", "2s")),
				Integer.parseInt(property("bench.compare-patients", "0")),
				Integer.parseInt(property("bench.compare-warmup-patients", "0")),
				split(property("bench.jvm-options", "-Xms512m -Xmx1g -XX:+UseG1GC")), property("bench.db.url", ""),
				property("bench.db.username", ""), property("bench.db.password", ""),
				Boolean.parseBoolean(property("bench.profile", "false")),
				new ReferenceServer(property("bench.reference.url", ""),
						Long.parseLong(property("bench.reference.pid", "0")), property("bench.reference.db.url", ""),
						property("bench.reference.db.username", ""), property("bench.reference.db.password", ""),
						Boolean.parseBoolean(property("bench.reference.no-cache", "false"))));
	}

	boolean externalDatabase() {
		return !this.dbUrl.isBlank();
	}

	private static String property(String name, String fallback) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? fallback : value.trim();
	}

	private static List<String> split(String options) {
		List<String> parts = new ArrayList<>();
		for (String part : options.split("\\s+")) {
			if (!part.isBlank()) {
				parts.add(part);
			}
		}
		return parts;
	}

}
