package health.crosswalk.bench;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark. In the default build it is a smoke run (the integration tests' Synthea
 * patient through two hospitals, seconds per query) that keeps it from rotting;
 * {@code mvn -Pbench verify} runs it at full size (see src/site/markdown/performance.md).
 */
class BenchmarkIT {

	@Test
	void benchmarkWritesItsReport() throws Exception {
		BenchSettings settings = BenchSettings.fromSystemProperties();
		Report report = new Benchmark(settings).run();
		assertThat(report.file()).exists();
		assertThat(Files.readString(report.file())).contains("## Queries");
		assertThat(settings.output().resolve("queries-throughput.png")).exists();
		assertThat(report.main.ingest.errors()).as("bundles refused; see the server log under " + settings.output())
			.isZero();
		assertThat(report.main.auditChainSummary()).as("the audit chain after the run")
			.startsWith("intact")
			.endsWith(" 0 not yet sealed");
		assertThat(report.main.export.resources()).as("resources in the Bulk Data export of every hospital")
			.isPositive();
		assertThat(report.main.imported.written())
			.as("resources the import wrote back; refused: " + report.main.imported.reasons())
			.isPositive();
		assertThat(report.main.queries).allSatisfy((query) -> {
			assertThat(query.requests()).as(query.name()).isPositive();
			assertThat(query.errors()).as(query.name() + " answered errors").isZero();
		});
	}

}
