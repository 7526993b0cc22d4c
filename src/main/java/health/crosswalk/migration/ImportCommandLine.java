package health.crosswalk.migration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.sched.BaseSchedulerServiceImpl;
import health.crosswalk.hospital.RegistryAccess;
import health.crosswalk.security.Role;
import health.crosswalk.server.CrosswalkException;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

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
			    FHIR files: .ndjson (a resource per line, as a Bulk Data export writes them) and
			    .json (a Bundle, such as Synthea's, or one resource).
			  import --format mediconnect <store.json | jdbc:url> --hospital <slug> [--mrn-system <uri>]
			         [--timezone <zone>] [--db-user <user>] [options above]
			    A MediConnect Pro store: its JSON file, or its tables through JDBC (PostgreSQL,
			    SQLite); the JDBC password is read from CROSSWALK_IMPORT_DB_PASSWORD.
			  import --format medichat users.json --hospital <slug> [--mrn-system <uri>] [--timezone <zone>]
			    A MediChat store: the mongoexport of its users collection (a document per line, or
			    a JSON array).
			  import --format medipact <medipact.db | jdbc:url | store.json> [--db-user <user>]
			    A MediPact store: its hospitals registered, and the patients its hospital_linkages
			    join linked under one UPI (run it after importing the hospitals' patients).
			  --source names the system the records come from (default: the format); give each
			  legacy system its own name. --mrn-system defaults to the hospital's first identifier
			  system; --timezone (default UTC) reads the store's times that have no offset.
			""";

	/** Records per transaction. */
	static final int CHUNK = 100;

	/** What an import's key may do: create and update, on every type. */
	static final String WRITE_SCOPES = "system/*.cu";

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
		// Servers run the $import jobs of the database, not a command's short-lived one.
		System.setProperty("crosswalk.import.enabled", "false");
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
		RegistryAccess keys = context.getBean(RegistryAccess.class);
		if (options.format().equals("medipact")) {
			return mediPact(context, baseUrl, options, keys, run, reportDirectory, out);
		}
		if (!keys.isActive(options.hospital())) {
			out.println("Hospital '" + options.hospital() + "' is " + (keys.exists(options.hospital())
					? "suspended: activate it ('hospital activate') before importing into it." : "not registered."));
			return 1;
		}
		RunKey key;
		try {
			key = options.dryRun() ? null : new RunKey(keys, options.hospital(), Role.HOSPITAL_SYSTEM, WRITE_SCOPES,
					run + " of source '" + options.source() + "'", context);
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
			FhirImport engine = new FhirImport(fhir, (key != null) ? new HttpServer(fhir, baseUrl, key.secret()) : null,
					options.source(), Set.of(upiSystem), CHUNK, out::println);
			ImportReport report;
			if (options.format().equals("fhir")) {
				report = engine.run(options.hospital(), options.source(), options.paths(), reportDirectory,
						options.dryRun());
			}
			else {
				String mrnSystem = (options.mrnSystem() != null) ? options.mrnSystem()
						: keys.identifierSystems(options.hospital()).stream().findFirst().orElse(null);
				if (mrnSystem == null) {
					out.println("Hospital " + options.hospital() + " has no identifier system for its medical record "
							+ "numbers: register one, or give --mrn-system.");
					return 2;
				}
				MappedStore mapped = options.format().equals("medichat")
						? new MediChatMapping(fhir, options.zone(), mrnSystem)
							.map(MediChatMapping.documents(Path.of(options.location())))
						: new MediConnectMapping(fhir, options.zone(), mrnSystem)
							.map(LegacyTables.read(options.location(), options.dbUser(),
									System.getenv("CROSSWALK_IMPORT_DB_PASSWORD"), MediConnectMapping.TABLES));
				report = engine.run(options.hospital(), options.source(), mapped.records(), mapped.rows(),
						options.dryRun());
			}
			report.write(reportDirectory);
			out.print(report.markdown());
			out.println("Report: " + reportDirectory.toAbsolutePath() + ((key != null)
					? " (key " + key.keyId() + " wrote the records; it is revoked as the run ends)" : ""));
			return (!report.anyRefused() && report.stoppedBecause() == null && report.balanced()) ? 0 : 1;
		}
		catch (IOException ex) {
			out.println("Could not read or report: " + ex.getMessage());
			return 1;
		}
		catch (RuntimeException ex) {
			out.println("The import failed: " + ex.getMessage());
			return 1;
		}
		finally {
			if (key != null) {
				key.close(out);
			}
		}
	}

	private static int mediPact(ApplicationContext context, String baseUrl, Options options, RegistryAccess access,
			String run, Path reportDirectory, PrintStream out) {
		String upiSystem = context.getEnvironment()
			.getProperty("crosswalk.linkage.upi-system", "https://fhir.crosswalk.health/sid/upi");
		MediPactImport importer = new MediPactImport(FhirContext.forR4(), baseUrl.replaceFirst("/fhir/?$", ""),
				upiSystem, access::exists, access::identifierSystems, access::register);
		try (RunKeys keys = new RunKeys(access, run + " of source '" + options.source() + "'", context)) {
			ImportReport report = importer.run(
					LegacyTables.read(options.location(), options.dbUser(),
							System.getenv("CROSSWALK_IMPORT_DB_PASSWORD"), MediPactImport.TABLES),
					keys, options.dryRun());
			report.write(reportDirectory);
			out.print(report.markdown());
			out.println("Report: " + reportDirectory.toAbsolutePath());
			return (!report.anyRefused() && report.balanced()) ? 0 : 1;
		}
		catch (IOException ex) {
			out.println("Could not read or report: " + ex.getMessage());
			return 1;
		}
		catch (RuntimeException ex) {
			out.println("The import failed: " + ex.getMessage());
			return 1;
		}
	}

	/**
	 * The keys of a MediPact run, issued when first needed: a steward's, and a read-only
	 * one per hospital whose patients it looks up.
	 */
	private static final class RunKeys implements MediPactImport.Keys, AutoCloseable {

		private final RegistryAccess access;

		private final String label;

		private final ApplicationContext context;

		private final Map<String, RunKey> keys = new HashMap<>();

		RunKeys(RegistryAccess access, String label, ApplicationContext context) {
			this.access = access;
			this.label = label;
			this.context = context;
		}

		@Override
		public String steward() {
			return this.keys
				.computeIfAbsent("",
						(none) -> new RunKey(this.access, null, Role.STEWARD, "", this.label, this.context))
				.secret();
		}

		@Override
		public String reader(String hospitalSlug) {
			return this.keys
				.computeIfAbsent(hospitalSlug,
						(slug) -> new RunKey(this.access, slug, Role.HOSPITAL_SYSTEM, "system/Patient.rs", this.label,
								this.context))
				.secret();
		}

		@Override
		public void close() {
			this.keys.values().forEach(RunKey::close);
		}

	}

	/**
	 * The run's key: issued for an hour, extended every ten minutes while the run lasts,
	 * revoked when it ends or when the server stops under it (Ctrl-C, SIGTERM).
	 */
	static final class RunKey implements AutoCloseable {

		static final Duration LIFETIME = Duration.ofHours(1);

		private final RegistryAccess keys;

		private final RegistryAccess.Key key;

		private final ScheduledExecutorService renewal;

		private final AtomicBoolean closed = new AtomicBoolean();

		RunKey(RegistryAccess keys, String hospital, Role role, String scopes, String label,
				ApplicationContext context) {
			this.keys = keys;
			this.key = keys.issue(hospital, role, scopes, label, LIFETIME);
			if (context instanceof ConfigurableApplicationContext configurable) {
				configurable.addApplicationListener((ApplicationListener<ContextClosedEvent>) (event) -> close());
			}
			this.renewal = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "import-key-renewal");
				thread.setDaemon(true);
				return thread;
			});
			this.renewal.scheduleWithFixedDelay(this::extend, 10, 10, TimeUnit.MINUTES);
		}

		String keyId() {
			return this.key.keyId();
		}

		String secret() {
			return this.key.secret();
		}

		private void extend() {
			try {
				this.keys.extend(this.key.keyId(), LIFETIME);
			}
			catch (RuntimeException ex) {
				// Tried again in ten minutes; the key lasts an hour.
			}
		}

		@Override
		public void close() {
			close(System.err);
		}

		void close(PrintStream out) {
			if (this.closed.compareAndSet(false, true)) {
				this.renewal.shutdownNow();
				try {
					this.keys.revoke(this.key.keyId());
				}
				catch (RuntimeException ex) {
					out.println("Could not revoke key " + this.key.keyId() + " (it expires within the hour): "
							+ ex.getMessage() + ". Revoke it with 'key revoke " + this.key.keyId() + "'.");
				}
			}
		}

	}

	record Options(String format, List<Path> paths, String location, String hospital, String source, boolean dryRun,
			Path report, String mrnSystem, ZoneId zone, String dbUser) {

		static final List<String> FORMATS = List.of("fhir", "mediconnect", "medichat", "medipact");

		static Options parse(String[] args) {
			List<String> sources = new ArrayList<>();
			Map<String, String> options = new HashMap<>();
			boolean dryRun = false;
			for (int i = 1; i < args.length; i++) {
				if (args[i].equals("--dry-run")) {
					dryRun = true;
				}
				else if (args[i].startsWith("--")) {
					String name = args[i].substring(2);
					if (!List.of("hospital", "source", "report", "format", "mrn-system", "timezone", "db-user")
						.contains(name)) {
						throw new IllegalArgumentException("Unknown option " + args[i] + ".");
					}
					if (i + 1 >= args.length) {
						throw new IllegalArgumentException("Option " + args[i] + " needs a value.");
					}
					options.put(name, args[++i]);
				}
				else {
					sources.add(args[i]);
				}
			}
			String format = options.getOrDefault("format", "fhir");
			if (!FORMATS.contains(format)) {
				throw new IllegalArgumentException("--format must be one of " + FORMATS + ", not '" + format + "'.");
			}
			List<Path> paths = new ArrayList<>();
			for (String source : sources) {
				if (!source.startsWith("jdbc:")) {
					Path path = Path.of(source);
					if (!Files.exists(path)) {
						throw new IllegalArgumentException("No file or directory " + path + ".");
					}
					paths.add(path);
				}
			}
			if (sources.isEmpty()) {
				throw new IllegalArgumentException("Name what to import.");
			}
			if (format.equals("fhir") && paths.size() != sources.size()) {
				throw new IllegalArgumentException("FHIR files are files or directories, not JDBC URLs.");
			}
			if (!format.equals("fhir") && sources.size() != 1) {
				throw new IllegalArgumentException("A " + format + " store is one JSON file or one JDBC URL.");
			}
			if (format.equals("medichat") && paths.size() != 1) {
				throw new IllegalArgumentException("A medichat store is the mongoexport file of its users collection.");
			}
			String hospital = options.get("hospital");
			if (hospital == null && !format.equals("medipact")) {
				throw new IllegalArgumentException("'import' needs --hospital.");
			}
			if (hospital != null && format.equals("medipact")) {
				throw new IllegalArgumentException(
						"A medipact store holds the network's hospitals: leave out --hospital.");
			}
			String source = options.getOrDefault("source", format);
			if (!source.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				throw new IllegalArgumentException(
						"--source must be lower-case letters, digits and dashes (it names an identifier system).");
			}
			ZoneId zone;
			try {
				zone = ZoneId.of(options.getOrDefault("timezone", "UTC"));
			}
			catch (DateTimeException ex) {
				throw new IllegalArgumentException(
						"--timezone '" + options.get("timezone") + "' is no time zone (such as UTC or Europe/London).");
			}
			return new Options(format, List.copyOf(paths), sources.get(0), hospital, source, dryRun,
					options.containsKey("report") ? Path.of(options.get("report")) : null, options.get("mrn-system"),
					zone, options.get("db-user"));
		}

	}

}
