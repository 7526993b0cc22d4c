package health.crosswalk.migration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.sched.BaseSchedulerServiceImpl;
import health.crosswalk.hospital.ServiceKeys;
import health.crosswalk.server.CrosswalkException;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Imports FHIR files into a hospital from the command line of the same jar, against the
 * configured database (an embedded one must not be in use by a running server):
 *
 * <pre>
 * java -jar crosswalk.jar import export/ --hospital st-mary --source old-ehr
 * </pre>
 *
 * The command starts the server on a loopback port, issues a hospital-system key labelled
 * with the run, writes every record through the FHIR API with it (so each is validated,
 * linked and audited as a client's write), revokes the key and writes the report beside
 * the run.
 */
public final class ImportCommandLine {

	static final String USAGE = """
			Usage:
			  import <file or directory>... --hospital <slug> [--source <name>] [--dry-run] [--report <directory>]
			    Files: .ndjson (a resource per line, as a Bulk Data export writes them) and .json
			    (a Bundle, such as Synthea's, or one resource). --source names the system the
			    records come from (default 'fhir'); give each legacy system its own name.
			""";

	/** Records per transaction. */
	static final int CHUNK = 100;

	private ImportCommandLine() {
	}

	/**
	 * Whether the arguments are an import rather than a server start.
	 * @param args the program arguments
	 * @return true for {@code import ...}
	 */
	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("import");
	}

	/**
	 * Starts Crosswalk on a loopback port, imports, and stops.
	 * @param application the application class
	 * @param args the command
	 * @return the process exit code: 0 every record imported, 1 some refused or the run
	 * stopped, 2 usage error
	 */
	public static int run(Class<?> application, String[] args) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.out.println(ex.getMessage());
			System.out.print(USAGE);
			return 2;
		}
		defaultProperty("logging.level.root", "warn");
		defaultProperty("logging.level.health.crosswalk", "warn");
		System.setProperty("crosswalk.hospital.demo-data", "never");
		System.setProperty("server.port", "0");
		System.setProperty("server.address", "127.0.0.1");
		System.setProperty(BaseSchedulerServiceImpl.SCHEDULING_DISABLED, "true");
		SpringApplication spring = new SpringApplication(application);
		spring.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = spring.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			return execute(context, "http://127.0.0.1:" + port + "/fhir", options, System.out);
		}
	}

	private static void defaultProperty(String name, String value) {
		if (System.getProperty(name) == null) {
			System.setProperty(name, value);
		}
	}

	/**
	 * Runs an import against a running server.
	 * @param context the server's context
	 * @param baseUrl its FHIR base URL
	 * @param args the command
	 * @param out where progress and the summary go
	 * @return the exit code
	 */
	static int execute(ApplicationContext context, String baseUrl, String[] args, PrintStream out) {
		try {
			return execute(context, baseUrl, Options.parse(args), out);
		}
		catch (IllegalArgumentException ex) {
			out.println(ex.getMessage());
			out.print(USAGE);
			return 2;
		}
	}

	private static int execute(ApplicationContext context, String baseUrl, Options options, PrintStream out) {
		String run = "import-"
				+ LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path reportDirectory = (options.report() != null) ? options.report() : Path.of(run);
		ServiceKeys keys = context.getBean(ServiceKeys.class);
		ServiceKeys.Key key;
		try {
			key = keys.issue(options.hospital(), run + " of source '" + options.source() + "'");
		}
		catch (CrosswalkException ex) {
			out.println(ex.error().code() + ": " + ex.getMessage());
			return 1;
		}
		try {
			FhirContext fhir = FhirContext.forR4();
			fhir.getRestfulClientFactory().setSocketTimeout(15 * 60 * 1000);
			String upiSystem = context.getEnvironment()
				.getProperty("crosswalk.linkage.upi-system", "https://fhir.crosswalk.health/sid/upi");
			FhirImport engine = new FhirImport(fhir, new HttpServer(fhir, baseUrl, key.secret()), options.source(),
					Set.of(upiSystem), CHUNK, out::println);
			ImportReport report = engine.run(options.hospital(), options.source(), options.paths(), options.dryRun());
			report.write(reportDirectory);
			out.print(report.markdown());
			out.println("Report: " + reportDirectory.toAbsolutePath() + " (key " + key.keyId()
					+ " wrote the records; it is revoked)");
			return (report.refusals().isEmpty() && report.stoppedBecause() == null && report.balanced()) ? 0 : 1;
		}
		catch (IOException ex) {
			out.println("Could not read or report: " + ex.getMessage());
			return 1;
		}
		finally {
			keys.revoke(key.keyId());
		}
	}

	record Options(List<Path> paths, String hospital, String source, boolean dryRun, Path report) {

		static Options parse(String[] args) {
			List<Path> paths = new ArrayList<>();
			String hospital = null;
			String source = "fhir";
			boolean dryRun = false;
			Path report = null;
			for (int i = 1; i < args.length; i++) {
				switch (args[i]) {
					case "--hospital" -> hospital = value(args, ++i);
					case "--source" -> source = value(args, ++i);
					case "--report" -> report = Path.of(value(args, ++i));
					case "--dry-run" -> dryRun = true;
					default -> {
						if (args[i].startsWith("--")) {
							throw new IllegalArgumentException("Unknown option " + args[i] + ".");
						}
						Path path = Path.of(args[i]);
						if (!Files.exists(path)) {
							throw new IllegalArgumentException("No file or directory " + path + ".");
						}
						paths.add(path);
					}
				}
			}
			if (paths.isEmpty()) {
				throw new IllegalArgumentException("Name the files or directories to import.");
			}
			if (hospital == null) {
				throw new IllegalArgumentException("'import' needs --hospital.");
			}
			if (!source.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				throw new IllegalArgumentException(
						"--source must be lower-case letters, digits and dashes (it names an identifier system).");
			}
			return new Options(List.copyOf(paths), hospital, source, dryRun, report);
		}

		private static String value(String[] args, int i) {
			if (i >= args.length) {
				throw new IllegalArgumentException("Option " + args[i - 1] + " needs a value.");
			}
			return args[i];
		}

	}

}
