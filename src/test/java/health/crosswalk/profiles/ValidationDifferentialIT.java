package health.crosswalk.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.validation.JpaValidationSupportChain;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.ProfileExamples;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server enforces on write refuses exactly what HAPI's own
 * {@code FhirInstanceValidator} refuses, with the same errors, over every example in
 * {@code fhir-profiles/}, every resource of the build's Synthea patient, a mutant of each
 * (see {@link Mutants}), and each again with every reference typed as its target. Both
 * run on the server's own validation support chain with the same profiles; the reference
 * builds a fresh core validator per resource, the enforcement is Crosswalk's pooled one.
 * The compiled check ({@link CompiledCheck}) must accept nothing the reference refuses,
 * and decide most Synthea resources on its own. Any change to how the server validates
 * must keep this test green.
 */
class ValidationDifferentialIT extends CrosswalkIntegrationTest {

	private static final Path SYNTHEA = Path.of("target", "synthea", "fhir");

	private static final int MUTANTS_PER_RESOURCE = 1;

	@Test
	void enforcementRefusesExactlyWhatTheReferenceValidatorRefuses() throws IOException {
		ProfileValidation enforcement = context().getBean(ProfileValidation.class);
		FhirInstanceValidator module = new FhirInstanceValidator(context().getBean(JpaValidationSupportChain.class));
		module.setErrorForUnknownProfiles(false);
		// The server's own context: the same parser settings encode what both validate.
		FhirValidator reference = context().getBean(FhirContext.class).newValidator().registerValidatorModule(module);

		List<Named> corpus = new ArrayList<>(examples());
		corpus.addAll(synthea());
		Mutants mutants = new Mutants(FHIR);
		List<Named> originals = List.copyOf(corpus);
		for (int i = 0; i < originals.size(); i++) {
			for (int m = 0; m < MUTANTS_PER_RESOURCE; m++) {
				Mutants.Mutant mutant = mutants.of(originals.get(i).resource(), 1000L * i + m);
				if (!mutant.changes().isEmpty()) {
					corpus.add(new Named(originals.get(i).name() + " mutated " + mutant.changes(), mutant.resource()));
				}
			}
		}

		// Each original again with every reference typed as its target (Reference.type),
		// as some EHRs send them; the mutants give references other types.
		int typedVariants = 0;
		for (Named original : originals) {
			IBaseResource typed = FHIR.newTerser().clone(original.resource());
			boolean any = false;
			for (Reference link : FHIR.newTerser().getAllPopulatedChildElementsOfType(typed, Reference.class)) {
				if (!link.hasType() && link.getReferenceElement().hasResourceType()) {
					link.setType(link.getReferenceElement().getResourceType());
					any = true;
				}
			}
			if (any) {
				corpus.add(new Named(original.name() + " typed", typed));
				typedVariants++;
			}
		}

		CompiledCheck compiled = enforcement.compiled();
		assertThat(compiled).as("the compiled check is on by default").isNotNull();
		int refused = 0;
		int compiledAccepted = 0;
		int syntheaAccepted = 0;
		int synthea = 0;
		int typedAccepted = 0;
		List<String> differences = new ArrayList<>();
		List<String> wronglyAccepted = new ArrayList<>();
		for (Named item : corpus) {
			List<String> ours = errors(() -> enforcement.validate(item.resource()).getMessages());
			List<String> theirs = errors(() -> reference
				.validateWithResult(item.resource(), ProfileValidation.options(enforcement.profiles(), item.resource()))
				.getMessages());
			if (!ours.equals(theirs)) {
				differences.add(item.name() + "\n  enforcement: " + ours + "\n  reference:   " + theirs);
			}
			refused += ours.isEmpty() ? 0 : 1;
			boolean accepted = compiled.accepts(item.resource(),
					ProfileValidation.options(enforcement.profiles(), item.resource()).getProfiles());
			if (accepted) {
				compiledAccepted++;
				if (!theirs.isEmpty()) {
					wronglyAccepted.add(item.name() + ": " + theirs);
				}
			}
			if (item.name().endsWith(" typed")) {
				typedAccepted += accepted ? 1 : 0;
			}
			if (item.name().startsWith("Synthea ") && !item.name().contains(" mutated ")
					&& !item.name().endsWith(" typed")) {
				synthea++;
				syntheaAccepted += accepted ? 1 : 0;
			}
		}
		LoggerFactory.getLogger(ValidationDifferentialIT.class)
			.info("Validation differential: {} resources ({} originals), {} refused, {} judged differently; "
					+ "compiled check accepted {} ({} of {} Synthea originals, {} of {} typed), {} of them wrongly",
					corpus.size(), originals.size(), refused, differences.size(), compiledAccepted, syntheaAccepted,
					synthea, typedAccepted, typedVariants, wronglyAccepted.size());
		assertThat(differences).as("resources the two validators judge differently").isEmpty();
		assertThat(wronglyAccepted).as("resources the compiled check accepts and the reference refuses").isEmpty();
		assertThat(syntheaAccepted).as("Synthea resources the compiled check decides without the full validator")
			.isGreaterThan(synthea * 8 / 10);
		assertThat(corpus).as("examples, Synthea resources and their mutants").hasSizeGreaterThan(500);
		assertThat(typedAccepted).as("typed variants the compiled check decides without the full validator")
			.isGreaterThan(typedVariants / 2);
		assertThat(refused).as("resources refused: the mutants must break rules, or the test proves nothing")
			.isGreaterThan((corpus.size() - typedVariants) / 5);
	}

	private interface Messages {

		List<SingleValidationMessage> get();

	}

	private static List<String> errors(Messages messages) {
		List<SingleValidationMessage> all;
		try {
			all = messages.get();
		}
		catch (RuntimeException ex) {
			return List.of("threw " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		return all.stream()
			.filter((message) -> message.getSeverity() == ResultSeverityEnum.ERROR
					|| message.getSeverity() == ResultSeverityEnum.FATAL)
			.map((message) -> message.getLocationString() + " | " + message.getMessage())
			.sorted()
			.toList();
	}

	private record Named(String name, IBaseResource resource) {
	}

	private static List<Named> examples() {
		return ProfileExamples.files()
			.stream()
			.map((file) -> new Named(file.getFileName().toString(), ProfileExamples.parse(FHIR, file)))
			.toList();
	}

	/**
	 * The Synthea patient's resources, with their {@code urn:uuid} references resolved to
	 * {@code Type/id} as a transaction resolves them before the profiles are enforced.
	 */
	private static List<Named> synthea() throws IOException {
		assertThat(SYNTHEA).as("generated by mvn verify before the integration tests").isDirectory();
		List<Named> resources = new ArrayList<>();
		try (Stream<Path> files = Files.list(SYNTHEA)) {
			for (Path file : files.filter((f) -> !f.getFileName().toString().contains("Information"))
				.sorted()
				.toList()) {
				Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(file));
				Map<String, String> ids = new HashMap<>();
				for (BundleEntryComponent entry : bundle.getEntry()) {
					ids.put(entry.getFullUrl(),
							entry.getResource().fhirType() + "/" + entry.getFullUrl().replace("urn:uuid:", ""));
				}
				for (BundleEntryComponent entry : bundle.getEntry()) {
					IBaseResource resource = entry.getResource();
					for (Reference reference : FHIR.newTerser()
						.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
						String target = reference.getReference();
						String resolved = ids.get(target);
						if (resolved != null) {
							reference.setReference(resolved);
						}
						else if (target != null && target.contains("?")) {
							// A conditional reference, as HAPI
							// resolves it before the check.
							reference.setReference(target.substring(0, target.indexOf('?')) + "/c"
									+ Integer.toHexString(target.hashCode()));
						}
					}
					resources.add(new Named("Synthea " + resource.fhirType() + " " + entry.getFullUrl(), resource));
				}
			}
		}
		return resources;
	}

}
