package health.crosswalk.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profiles in {@code fhir-profiles/}, checked at build time without Spring or a
 * database: every StructureDefinition snapshots, every valid example passes, and every
 * invalid example fails for the rule its name gives ({@code <Type>-invalid-<rule>.json},
 * where the rule is a constraint key such as {@code cw-obs-1}, an element id such as
 * {@code Patient.birthDate}, with {@code _} for the {@code :} of a slice, or the id of a
 * core profile such as {@code vitalsigns}).
 */
class ProfilesTest {

	private static final Path EXAMPLES = Path.of("fhir-profiles", "examples");

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static ProfileSet profiles;

	private static ProfileValidation validation;

	@BeforeAll
	static void load() {
		profiles = ProfileSet.load(FHIR);
		validation = ProfileValidation.using(FHIR, chain(profiles), profiles);
	}

	/**
	 * A validation support chain in memory, as the server's holds the profiles and the
	 * core definitions, without the database.
	 */
	static ValidationSupportChain chain(ProfileSet profiles) {
		return new ValidationSupportChain(profiles.support(), new DefaultProfileValidationSupport(FHIR),
				new CommonCodeSystemsTerminologyService(FHIR), new InMemoryTerminologyServerValidationSupport(FHIR),
				new SnapshotGeneratingValidationSupport(FHIR));
	}

	@Test
	void everyCoreTypeHasAProfileWithASnapshot() {
		assertThat(profiles.profilesByType()).containsOnlyKeys("Patient", "Observation", "MedicationRequest",
				"Appointment");
		for (StructureDefinition definition : profiles.structureDefinitions()) {
			assertThat(definition.getUrl()).startsWith("https://fhir.crosswalk.health/StructureDefinition/");
			assertThat(definition.getSnapshot().getElement()).as(definition.getUrl()).hasSizeGreaterThan(10);
		}
	}

	@Test
	void everyProfileHasValidAndInvalidExamples() throws IOException {
		for (String type : profiles.profilesByType().keySet()) {
			assertThat(examples()).as(type)
				.anyMatch((file) -> file.getFileName().toString().startsWith(type + "-valid-"));
			assertThat(examples()).as(type)
				.anyMatch((file) -> file.getFileName().toString().startsWith(type + "-invalid-"));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void exampleMeetsOrBreaksTheRuleItsNameSays(Path file) throws IOException {
		String name = file.getFileName().toString().replace(".json", "");
		IBaseResource example = FHIR.newJsonParser().parseResource(Files.readString(file));
		assertThat(name).startsWith(example.fhirType() + "-");
		List<SingleValidationMessage> errors = ProfileValidation.errors(validation.validate(example));

		if (name.contains("-valid-")) {
			assertThat(errors).as(name).isEmpty();
		}
		else {
			String rule = name.substring(name.indexOf("-invalid-") + "-invalid-".length()).replace('_', ':');
			assertThat(errors).as(name + " should break " + rule)
				.anyMatch((error) -> error.getMessage().contains(rule)
						|| (error.getLocationString() != null && error.getLocationString().contains(rule)));
		}
	}

	static List<Path> examples() throws IOException {
		try (Stream<Path> files = Files.list(EXAMPLES)) {
			return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
	}

}
