package health.crosswalk.storage;

import ca.uhn.fhir.jpa.sched.BaseSchedulerServiceImpl;
import health.crosswalk.database.OwnerConnections;
import health.crosswalk.database.SchemaOwner;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.flyway.FlywayProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The schemas from the command line of the same jar, against the configured database (an
 * embedded one must not be in use by a running server):
 *
 * <pre>
 * java -jar crosswalk.jar db status    # where Flyway's and HAPI's migrations stand; changes nothing
 * java -jar crosswalk.jar db migrate   # applies what is pending, then stops, without serving
 * </pre>
 *
 * {@code status} reads the migration histories on the schema owner's connections and
 * starts nothing else. {@code migrate} starts Crosswalk without its web server, which
 * migrates exactly as a server start does (Crosswalk's Flyway migrations, then HAPI's
 * migrator, then the application role's grants), and stops.
 */
public final class DatabaseCommandLine {

	static final String USAGE = """
			Usage:
			  db status    where Crosswalk's (Flyway) and HAPI's migrations stand; changes nothing
			               exit code 0: up to date, 3: migrations pending
			  db migrate   apply the pending migrations of both, then stop (the server is not started)
			""";

	private DatabaseCommandLine() {
	}

	/**
	 * Whether the arguments are a schema command rather than a server start.
	 * @param args the program arguments
	 * @return true for {@code db ...}
	 */
	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("db");
	}

	/**
	 * Runs one command.
	 * @param application the application class
	 * @param args the command
	 * @return the exit code: 0 done (and up to date), 3 migrations pending, 2 usage error
	 */
	public static int run(Class<?> application, String[] args) {
		if (args.length != 2 || !(args[1].equals("status") || args[1].equals("migrate"))) {
			System.out.print(USAGE);
			return 2;
		}
		defaultProperty("logging.level.root", "warn");
		defaultProperty("logging.level.health.crosswalk", "warn");
		System.setProperty("crosswalk.hospital.demo-data", "never");
		System.setProperty(BaseSchedulerServiceImpl.SCHEDULING_DISABLED, "true");
		boolean migrate = args[1].equals("migrate");
		// status: only the settings (application.yaml, the environment), no beans at all.
		SpringApplication spring = new SpringApplication(migrate ? application : SettingsOnly.class);
		spring.setWebApplicationType(WebApplicationType.NONE);
		spring.setLogStartupInfo(false);
		spring.setBannerMode(Banner.Mode.OFF);
		try (ConfigurableApplicationContext context = spring.run()) {
			SchemaStatus status;
			if (migrate) {
				status = SchemaStatus.of(context.getBean(SchemaOwner.class).dataSource(),
						flyway(context.getEnvironment()));
				System.out.print("Migrated.\n");
			}
			else {
				try (OwnerConnections owner = OwnerConnections.open(context.getEnvironment())) {
					status = SchemaStatus.of(owner.owner(), flyway(context.getEnvironment()));
				}
			}
			System.out.print(status.describe());
			return status.upToDate() ? 0 : 3;
		}
	}

	static FlywayProperties flyway(Environment environment) {
		return Binder.get(environment).bindOrCreate("spring.flyway", FlywayProperties.class);
	}

	private static void defaultProperty(String name, String value) {
		if (System.getProperty(name) == null) {
			System.setProperty(name, value);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class SettingsOnly {

	}

}
