package health.crosswalk.hospital;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.jpa.sched.BaseSchedulerServiceImpl;
import health.crosswalk.security.Role;

import health.crosswalk.server.CrosswalkException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The registry from the command line of the same jar, against the configured database (an
 * embedded one must not be in use by a running server):
 *
 * <pre>
 * java -jar crosswalk.jar hospital create --slug st-mary --name "St Mary's" --system urn:oid:1.2.3
 * java -jar crosswalk.jar key create --hospital st-mary --role hospital-system --label "EHR feed"
 * </pre>
 */
public final class HospitalCommandLine {

	static final String USAGE = """
			Usage:
			  hospital create --slug <slug> --name <name> [--system <identifier system URI>]...
			  hospital list
			  hospital show <slug>
			  hospital suspend <slug>
			  hospital activate <slug>
			  key create --role <hospital-system|clinician|auditor|steward|admin|monitor|network-exporter> [--hospital <slug>] [--label <text>]
			  key list [--hospital <slug>]
			  key revoke <key id>
			""";

	private final HospitalRegistry registry;

	private final PrintStream out;

	HospitalCommandLine(HospitalRegistry registry, PrintStream out) {
		this.registry = registry;
		this.out = out;
	}

	/**
	 * Whether the arguments are a registry command rather than a server start.
	 * @param args the program arguments
	 * @return true for {@code hospital ...} and {@code key ...}
	 */
	public static boolean handles(String[] args) {
		return args.length > 0 && (args[0].equals("hospital") || args[0].equals("key"));
	}

	/**
	 * Starts Crosswalk without its web server, runs one command and stops.
	 * @param application the application class
	 * @param args the command
	 * @return the process exit code: 0 done, 1 refused, 2 usage error
	 */
	public static int run(Class<?> application, String[] args) {
		// System properties outrank application.yaml: the command's output stays
		// readable (unless the caller asked for a level with -D).
		defaultProperty("logging.level.root", "warn");
		defaultProperty("logging.level.health.crosswalk", "warn");
		System.setProperty("crosswalk.hospital.demo-data", "never");
		// HAPI's background jobs (reindexing, search expiry, batch maintenance) belong to
		// the server, not to a command that runs for a moment.
		System.setProperty(BaseSchedulerServiceImpl.SCHEDULING_DISABLED, "true");
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		spring.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = spring.run()) {
			return executeRecorded(context.getBean(HospitalRegistry.class), context, System.out, args);
		}
	}

	private static void defaultProperty(String name, String value) {
		if (System.getProperty(name) == null) {
			System.setProperty(name, value);
		}
	}

	/**
	 * Runs one command and publishes it as a {@link CommandRun} before its result is
	 * shown, so that the audit trail records it first, as an API request's record is
	 * committed before its response leaves.
	 * @param registry the registry
	 * @param events where the command is published
	 * @param shown where the result goes
	 * @param args the command
	 * @return the exit code
	 */
	static int executeRecorded(HospitalRegistry registry, ApplicationEventPublisher events, PrintStream shown,
			String[] args) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int exitCode = new HospitalCommandLine(registry, new PrintStream(output, true, StandardCharsets.UTF_8))
			.execute(args);
		String result = output.toString(StandardCharsets.UTF_8);
		events.publishEvent(
				new CommandRun(String.join(" ", args), exitCode, firstLine(result).replaceAll("cwk_\\S+", "cwk_...")));
		shown.print(result);
		return exitCode;
	}

	private static String firstLine(String text) {
		int end = text.indexOf('\n');
		return (end >= 0) ? text.substring(0, end) : text;
	}

	int execute(String[] args) {
		try {
			Command command = Command.parse(args);
			switch (command.verb()) {
				case "hospital create" -> print(this.registry.register(command.required("slug"),
						command.required("name"), command.all("system")));
				case "hospital list" -> this.registry.list().forEach(this::print);
				case "hospital show" -> print(this.registry.require(command.argument()));
				case "hospital suspend" -> print(this.registry.setStatus(command.argument(), Hospital.SUSPENDED));
				case "hospital activate" -> print(this.registry.setStatus(command.argument(), Hospital.ACTIVE));
				case "key create" -> {
					Role role = Role.fromCode(command.required("role"))
						.orElseThrow(() -> new UsageException("Unknown role '" + command.one("role") + "'."));
					IssuedKey key = this.registry.issueKey(command.one("hospital"), role, command.one("label"));
					print(key.info());
					this.out.println("  key: " + key.key());
					this.out
						.println("  Store it now: it is shown only once. Send it as 'Authorization: Bearer <key>'.");
				}
				case "key list" -> this.registry.keys(command.one("hospital")).forEach(this::print);
				case "key revoke" -> print(this.registry.revokeKey(command.argument()));
				default -> throw new UsageException("Unknown command '" + command.verb() + "'.");
			}
			return 0;
		}
		catch (UsageException ex) {
			this.out.println(ex.getMessage());
			this.out.print(USAGE);
			return 2;
		}
		catch (CrosswalkException ex) {
			this.out.println(ex.error().code() + ": " + ex.getMessage());
			return 1;
		}
	}

	private void print(Hospital hospital) {
		this.out.printf("%s  %s  [%s]  partition %d  Organization/%s  systems: %s%n", hospital.slug(), hospital.name(),
				hospital.status(), hospital.partitionId(), hospital.organizationId(),
				String.join(", ", hospital.identifierSystems()));
	}

	private void print(ApiKeyInfo key) {
		this.out.printf("%s  %s  %s  scopes '%s'  label '%s'  created %s%s%n", key.keyId(), key.role(),
				(key.hospital() != null) ? key.hospital() : "network", key.scopes(), key.label(), key.createdAt(),
				(key.revokedAt() != null) ? "  REVOKED " + key.revokedAt()
						: (key.expiresAt() == null) ? ""
								: (key.expiresAt().isAfter(java.time.Instant.now()) ? "  expires " : "  EXPIRED ")
										+ key.expiresAt());
	}

	private record Command(String verb, List<String> arguments, Map<String, List<String>> options) {

		static Command parse(String[] args) {
			if (args.length < 2) {
				throw new UsageException("Missing command.");
			}
			List<String> arguments = new ArrayList<>();
			Map<String, List<String>> options = new HashMap<>();
			for (int i = 2; i < args.length; i++) {
				if (args[i].startsWith("--")) {
					if (i + 1 >= args.length) {
						throw new UsageException("Option " + args[i] + " needs a value.");
					}
					options.computeIfAbsent(args[i].substring(2), (name) -> new ArrayList<>()).add(args[++i]);
				}
				else {
					arguments.add(args[i]);
				}
			}
			return new Command(args[0] + " " + args[1], arguments, options);
		}

		String argument() {
			if (this.arguments.size() != 1) {
				throw new UsageException("'" + this.verb + "' takes one argument.");
			}
			return this.arguments.get(0);
		}

		String one(String option) {
			List<String> values = this.options.get(option);
			return (values != null) ? values.get(values.size() - 1) : null;
		}

		String required(String option) {
			String value = one(option);
			if (value == null) {
				throw new UsageException("'" + this.verb + "' needs --" + option + ".");
			}
			return value;
		}

		List<String> all(String option) {
			return this.options.getOrDefault(option, List.of());
		}

	}

	private static final class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}
