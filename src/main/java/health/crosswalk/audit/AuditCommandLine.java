package health.crosswalk.audit;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import ca.uhn.fhir.jpa.sched.BaseSchedulerServiceImpl;
import health.crosswalk.database.SchemaOwner;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The audit trail's retention from the command line of the same jar, against the
 * configured database:
 *
 * <pre>
 * java -jar crosswalk.jar audit archive [--dir &lt;folder&gt;]
 * </pre>
 *
 * Starts Crosswalk without its web server, archives every month older than
 * {@code crosswalk.audit.archive.keep-months}, records the command as an administrative
 * AuditEvent and stops. Servers may keep running meanwhile.
 */
public final class AuditCommandLine {

	static final String USAGE = """
			Usage:
			  audit archive [--dir <folder>]   move every month of the audit trail older than
			                                   crosswalk.audit.archive.keep-months (72) out of the database, each
			                                   into crosswalk-audit-<YYYY-MM>.ndjson (default folder: audit-archive)
			exit code 0: done (also when nothing was old enough); 1: a month could not be archived; 2: usage error
			""";

	private AuditCommandLine() {
	}

	/**
	 * Whether the arguments are an audit command rather than a server start.
	 * @param args the program arguments
	 * @return true for {@code audit ...}
	 */
	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("audit");
	}

	/**
	 * Runs one command.
	 * @param application the application class
	 * @param args the command
	 * @return the exit code
	 */
	public static int run(Class<?> application, String[] args) {
		boolean plain = args.length == 2 && args[1].equals("archive");
		boolean withDir = args.length == 4 && args[1].equals("archive") && args[2].equals("--dir");
		if (!plain && !withDir) {
			System.out.print(USAGE);
			return 2;
		}
		if (System.getProperty("logging.level.root") == null) {
			System.setProperty("logging.level.root", "warn");
		}
		System.setProperty("crosswalk.hospital.demo-data", "never");
		System.setProperty(BaseSchedulerServiceImpl.SCHEDULING_DISABLED, "true");
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		spring.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = spring.run()) {
			AuditProperties properties = context.getBean(AuditProperties.class);
			Path dir = withDir ? Path.of(args[3]) : properties.archive().dir();
			DataSource dataSource = context.getBean(DataSource.class);
			AuditChain chain = new AuditChain(dataSource, new ChainHash(
					(properties.hmacKey() != null) ? properties.hmacKey().getBytes(StandardCharsets.UTF_8) : null),
					new AuditText());
			AuditArchive archive = new AuditArchive(context.getBean(SchemaOwner.class).dataSource(), chain);
			return archive(archive, dir, cutOff(properties.archive().keepMonths()),
					context.getBeanProvider(CommandLineRecorder.class), System.out);
		}
	}

	/**
	 * The first month kept: the current one (UTC) and the given number before it.
	 * @param keepMonths whole months kept before the current one
	 * @return the first month kept
	 */
	static YearMonth cutOff(int keepMonths) {
		return YearMonth.now(ZoneOffset.UTC).minusMonths(keepMonths);
	}

	static int archive(AuditArchive archive, Path dir, YearMonth before, ObjectProvider<CommandLineRecorder> recorder,
			PrintStream out) {
		String command = "audit archive --before " + before;
		try {
			List<AuditArchive.Archived> archived = archive.archive(dir, before);
			String outcome = archived.isEmpty() ? "no month before " + before + " to archive"
					: "archived " + archived.size() + " months (" + archived.get(0).month() + " to "
							+ archived.get(archived.size() - 1).month() + ") into " + dir;
			recorder.ifAvailable((commandLine) -> commandLine.record(command, 0, outcome));
			for (AuditArchive.Archived month : archived) {
				out.printf("%s: %,d records -> %s (SHA-256 %s)%n", month.month(), month.events(), month.file(),
						month.sha256());
			}
			out.println(outcome.substring(0, 1).toUpperCase() + outcome.substring(1) + ".");
			return 0;
		}
		catch (AuditArchive.ArchiveException | java.sql.SQLException | java.io.IOException ex) {
			recorder.ifAvailable((commandLine) -> commandLine.record(command, 1, ex.getMessage()));
			System.err.println("Failed: " + ex.getMessage());
			return 1;
		}
	}

}
