package health.crosswalk;

import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph the build keeps: capabilities without cycles, {@code server} as the
 * shared kernel that depends on no capability, and every other edge between capabilities
 * one listed here on purpose. A new edge fails the build until it is added below with its
 * reason, or designed away.
 */
class ArchitectureTest {

	private static final String BASE = "health.crosswalk.";

	/** Which capabilities each capability may use, and why. */
	private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
			// The shared kernel: error contract, outcomes, request context.
			Map.entry("server", Set.of()),
			// Connections and Crosswalk's own schema.
			Map.entry("database", Set.of()),
			// HAPI JPA on the schema owner's connections; its hook takes its order
			// from the pipeline.
			Map.entry("storage", Set.of("server", "database")),
			// Principals and partitions on the kernel's error contract.
			Map.entry("security", Set.of("server")),
			// Lanes per hospital, told by the principal.
			Map.entry("fairshare", Set.of("server", "security")),
			// Limits on the kernel's error contract;
			// transaction time from database settings.
			Map.entry("limits", Set.of("server", "database")), Map.entry("profiles", Set.of("server")),
			// Records are written before commit (storage), name the principal, and
			// observe the command line's CommandRun events; the archive command
			// detaches old months as the schema's owner (database).
			Map.entry("audit", Set.of("server", "security", "storage", "hospital", "database")),
			// Links at commit (storage); notes what $ihe-pix disclosed on the request
			// (server.Disclosures), where the audit reads it.
			Map.entry("linkage", Set.of("server", "security", "storage")),
			// Bulk Data export on HAPI's jobs: the requester is the principal, the
			// hooks take their order from the pipeline.
			Map.entry("bulk", Set.of("server", "security")),
			// Imports write through the FHIR API with a key issued for each run.
			Map.entry("migration", Set.of("server", "hospital", "security")),
			// Search results kept until a write commits (storage), told through the
			// pipeline's hooks and the server's listening session (database).
			Map.entry("results", Set.of("server", "storage", "database")),
			// Read requests marked in the pipeline take the replica's connections.
			Map.entry("replica", Set.of("server", "database")),
			// Backups run on the owner's connections and verify the restored audit chain.
			Map.entry("backup", Set.of("database", "audit")),
			// The command line publishes CommandRun events; the audit observes them.
			Map.entry("hospital", Set.of("server", "security", "database")));

	/**
	 * HAPI's R4 reference types (classes outside Crosswalk stay stubs, without
	 * supertypes).
	 */
	private static final String REFERENCE_TYPES = "org\\.hl7\\.fhir\\.(r4\\.model\\.(Base)?Reference|instance\\.model\\.api\\.IBaseReference)";

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("health.crosswalk");
	}

	@Test
	void capabilitiesFormNoCycles() {
		slices().matching("health.crosswalk.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void eachCapabilityUsesOnlyTheCapabilitiesListed() {
		for (Map.Entry<String, Set<String>> capability : ALLOWED.entrySet()) {
			String[] others = ALLOWED.keySet()
				.stream()
				.filter((other) -> !other.equals(capability.getKey()) && !capability.getValue().contains(other))
				.map((other) -> BASE + other + "..")
				.toArray(String[]::new);
			noClasses().that()
				.resideInAPackage(BASE + capability.getKey() + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(others)
				.because(capability.getKey() + " may use " + capability.getValue() + " only")
				.check(classes);
		}
	}

	@Test
	void nothingCallsTheAudit() {
		noClasses().that()
			.resideOutsideOfPackages(BASE + "audit..", BASE + "backup..")
			// The launcher hands the jar's "audit" command line to the audit.
			.and()
			.doNotHaveFullyQualifiedName(CrosswalkApplication.class.getName())
			.should()
			.dependOnClassesThat()
			.resideInAPackage(BASE + "audit..")
			.because("the audit observes: HAPI's hooks, the servlet filter, the command line's CommandRun events "
					+ "and the kernel's Disclosures notes; no capability calls it")
			.check(classes);
		noClasses().that()
			.resideInAPackage(BASE + "backup..")
			.should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage(BASE + "audit..")
				.and(DescribedPredicate.not(JavaClass.Predicates
					.belongTo(JavaClass.Predicates.equivalentTo(health.crosswalk.audit.ChainCheck.class)))))
			.because("a restore drill only verifies the restored chain, read-only, with the audit's own check")
			.check(classes);
	}

	@Test
	void noCodePutsAResourceIntoAReference() {
		noClasses().should()
			.callMethodWhere(target(name("setResource")).and(target(owner(nameMatching(REFERENCE_TYPES)))))
			.because("references are written as text: the server's FHIR context neither contains nor includes a "
					+ "resource a reference holds (server.ServerFhirContext)")
			.check(classes);
	}

	@Test
	void everyCapabilityIsListed() {
		assertThat(classes.stream()
			.map((type) -> type.getPackageName())
			.filter((name) -> name.startsWith(BASE))
			.map((name) -> name.substring(BASE.length()).split("\\.")[0])
			.distinct()).allSatisfy((capability) -> assertThat(ALLOWED).containsKey(capability));
	}

}
