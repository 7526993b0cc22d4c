package health.crosswalk.backup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;

import health.crosswalk.audit.ChainCheck;
import health.crosswalk.database.OwnerConnections;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Backups from the command line of the same jar, against the configured database (an
 * embedded one must not be in use by a running server):
 *
 * <pre>
 * java -jar crosswalk.jar backup [--dir &lt;folder&gt;]
 * java -jar crosswalk.jar restore --verify &lt;folder&gt;/crosswalk-....dump
 * </pre>
 *
 * Neither starts the server: they read the settings and open the schema owner's
 * connections only.
 */
public final class BackupCommandLine {

	static final String USAGE = """
			Usage:
			  backup [--dir <folder>]          dump both schemas (pg_dump, custom format) with a manifest of what
			                                   they hold, then remove the backups the rotation no longer keeps
			                                   (crosswalk.backup.keep-daily 7, keep-weekly 4, keep-monthly 3)
			  restore --verify <file.dump>     restore the backup into a scratch database, compare it with its
			                                   manifest, verify its audit chain, then drop the scratch database
			exit code 0: done, verified; 1: failed, or the copy differs; 2: usage error
			pg_dump and pg_restore come from crosswalk.backup.pg-bin or the PATH (the server's major version or newer)
			""";

	private BackupCommandLine() {
	}

	/**
	 * Whether the arguments are a backup command rather than a server start.
	 * @param args the program arguments
	 * @return true for {@code backup ...} and {@code restore ...}
	 */
	public static boolean handles(String[] args) {
		return args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"));
	}

	/**
	 * Runs one command.
	 * @param args the command
	 * @return the exit code
	 */
	public static int run(String[] args) {
		Path dir = null;
		Path dump = null;
		boolean backup = args[0].equals("backup");
		if (backup && args.length == 3 && args[1].equals("--dir")) {
			dir = Path.of(args[2]);
		}
		else if (!backup && args.length == 3 && args[1].equals("--verify")) {
			dump = Path.of(args[2]);
		}
		else if (!(backup && args.length == 1)) {
			System.out.print(USAGE);
			return 2;
		}
		System.setProperty("logging.level.root", System.getProperty("logging.level.root", "warn"));
		SpringApplication spring = new SpringApplication(SettingsOnly.class);
		spring.setWebApplicationType(WebApplicationType.NONE);
		spring.setLogStartupInfo(false);
		spring.setBannerMode(Banner.Mode.OFF);
		try (ConfigurableApplicationContext context = spring.run()) {
			Environment environment = context.getEnvironment();
			BackupProperties settings = Binder.get(environment)
				.bindOrCreate("crosswalk.backup", BackupProperties.class);
			PgTools tools = PgTools.find(settings.pgBin(), System.getenv("PATH"));
			try (OwnerConnections owner = OwnerConnections.open(environment)) {
				Backups backups = new Backups(owner.owner(), PgEndpoint.of(owner.owner()), tools, Clock.systemUTC());
				return backup ? backup(backups, (dir != null) ? dir : settings.dir(), settings.rotation(), System.out)
						: verify(backups, dump, environment, System.out);
			}
		}
		catch (BackupException ex) {
			System.err.println("Failed: " + ex.getMessage());
			return 1;
		}
		catch (IOException | SQLException ex) {
			System.err.println("Failed: " + ex.getMessage());
			return 1;
		}
		catch (RuntimeException ex) {
			// A setting refused, a database out of reach, an embedded folder in use.
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			System.err.println("Failed: " + ex.getMessage() + ((root != ex) ? " (" + root.getMessage() + ")" : ""));
			return 1;
		}
	}

	static int backup(Backups backups, Path dir, Rotation rotation, PrintStream out) throws IOException, SQLException {
		Backups.Taken taken = backups.backup(dir, rotation);
		Manifest manifest = taken.manifest();
		out.printf("Backup %s: %,d bytes, SHA-256 %s%n", taken.dump(), manifest.bytes(), manifest.sha256());
		out.printf("  %d tables; %,d current resources (%s); audit chain at position %d, %d records not sealed yet%n",
				manifest.census().tables().size(), manifest.census().resourceCount(), perHospital(manifest.census()),
				manifest.census().sealPosition(), manifest.census().unsealed());
		for (Path removed : taken.removed()) {
			out.println("  rotation removed " + removed.getFileName());
		}
		return 0;
	}

	static int verify(Backups backups, Path dump, Environment environment, PrintStream out)
			throws IOException, SQLException {
		Backups.Drill drill = backups.verify(dump,
				(database, position, hash) -> ChainCheck.of(database, environment).verify(position, hash));
		Manifest manifest = drill.manifest();
		out.printf("Backup %s, taken %s from PostgreSQL %s%n", dump, manifest.taken(), manifest.serverVersion());
		if (drill.restored() != null) {
			out.printf("  restored into a scratch database in %ds: %d tables; %,d current resources (%s)%n",
					drill.took().toSeconds(), drill.restored().tables().size(), drill.restored().resourceCount(),
					perHospital(drill.restored()));
		}
		for (String difference : drill.differences()) {
			out.println("  DIFFERS: " + difference);
		}
		if (drill.chain() != null) {
			ChainCheck.Outcome chain = drill.chain();
			out.printf("  audit chain: %s, %,d links checked, %d records not sealed (as in the source)%s%n",
					chain.result(), chain.checked(), chain.unsealed(),
					(chain.problem() != null) ? ", " + chain.problem() : "");
		}
		out.println(drill.verified() ? "Verified." : "NOT verified.");
		return drill.verified() ? 0 : 1;
	}

	private static String perHospital(Census census) {
		return census.resources()
			.entrySet()
			.stream()
			.map((hospital) -> hospital.getKey() + " "
					+ hospital.getValue().values().stream().mapToLong(Long::longValue).sum())
			.collect(java.util.stream.Collectors.joining(", "));
	}

	@Configuration(proxyBeanMethods = false)
	static class SettingsOnly {

	}

}
