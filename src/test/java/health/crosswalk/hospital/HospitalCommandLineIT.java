package health.crosswalk.hospital;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's command line, run against the test server's database.
 */
class HospitalCommandLineIT extends CrosswalkIntegrationTest {

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	@Test
	void createsAHospitalAndAKeyThatWorks() {
		String slug = "cli-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(run("hospital", "create", "--slug", slug, "--name", "Command Line Hospital", "--system",
				"urn:test:" + slug))
			.isZero();
		assertThat(text()).contains(slug).contains("Command Line Hospital").contains("urn:test:" + slug);

		assertThat(run("key", "create", "--hospital", slug, "--role", "hospital-system", "--label", "feed")).isZero();
		Matcher key = Pattern.compile("key: (cwk_\\S+)").matcher(text());
		assertThat(key.find()).isTrue();
		assertThat(new FhirHttp(serverUrl()).get("/fhir/Patient", key.group(1)).statusCode()).isEqualTo(200);

		assertThat(run("hospital", "list")).isZero();
		assertThat(text()).contains(slug);
		assertThat(run("hospital", "suspend", slug)).isZero();
		assertThat(text()).contains("[suspended]");
	}

	@Test
	void reportsRefusalsAndUsage() {
		assertThat(run("hospital", "show", "no-such-hospital")).isEqualTo(1);
		assertThat(text()).contains("CW-HOSP-004");
		assertThat(run("hospital", "create", "--name", "No slug")).isEqualTo(2);
		assertThat(text()).contains("--slug").contains("Usage:");
		assertThat(run("key", "create", "--role", "wizard")).isEqualTo(2);
		assertThat(run("hospital")).isEqualTo(2);
	}

	@Test
	void eachCommandIsRecordedBeforeItsResultIsShown() {
		List<String> records = new ArrayList<>();
		ApplicationEventPublisher audit = (event) -> {
			if (event instanceof CommandRun run) {
				records.add(run.command() + " | " + run.exitCode() + " | " + run.outcome() + " | shown: "
						+ text().length());
			}
		};
		String slug = "cli-rec-" + UUID.randomUUID().toString().substring(0, 8);
		PrintStream shown = new PrintStream(this.output, true, StandardCharsets.UTF_8);
		this.output.reset();
		assertThat(HospitalCommandLine.executeRecorded(context().getBean(HospitalRegistry.class), audit, shown,
				new String[] { "hospital", "create", "--slug", slug, "--name", "Recorded" }))
			.isZero();
		assertThat(HospitalCommandLine.executeRecorded(context().getBean(HospitalRegistry.class), audit, shown,
				new String[] { "key", "create", "--hospital", slug, "--role", "clinician" }))
			.isZero();
		assertThat(text()).contains(slug).contains("key: cwk_");
		assertThat(records).hasSize(2);
		assertThat(records.get(0)).startsWith("hospital create --slug " + slug)
			.contains(" | 0 | " + slug)
			.endsWith("shown: 0");
		assertThat(records.get(1)).startsWith("key create").doesNotContainPattern("cwk_[A-Za-z0-9]");
	}

	private int run(String... args) {
		this.output.reset();
		HospitalCommandLine commandLine = new HospitalCommandLine(context().getBean(HospitalRegistry.class),
				new PrintStream(this.output, true, StandardCharsets.UTF_8));
		return commandLine.execute(args);
	}

	private String text() {
		return this.output.toString(StandardCharsets.UTF_8);
	}

}
