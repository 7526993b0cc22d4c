package health.crosswalk.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pooled core validator reports what HAPI's own {@code FhirInstanceValidator}
 * reports, however often a validator is reused, and reuses validators across resources
 * and threads.
 */
class PooledInstanceValidatorTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final Path EXAMPLES = Path.of("fhir-profiles", "examples");

	private static ProfileSet profiles;

	private static ValidationSupportChain chain;

	@BeforeAll
	static void load() {
		profiles = ProfileSet.load(FHIR);
		chain = new ValidationSupportChain(profiles.support(), new DefaultProfileValidationSupport(FHIR),
				new CommonCodeSystemsTerminologyService(FHIR), new InMemoryTerminologyServerValidationSupport(FHIR),
				new SnapshotGeneratingValidationSupport(FHIR));
	}

	@Test
	void reportsWhatHapisValidatorReportsForEveryExampleWhileReusingOneValidator() throws IOException {
		PooledInstanceValidator pooled = new PooledInstanceValidator(chain);
		FhirValidator ours = FHIR.newValidator().registerValidatorModule(pooled);
		FhirInstanceValidator hapiModule = new FhirInstanceValidator(chain);
		hapiModule.setErrorForUnknownProfiles(false);
		FhirValidator hapis = FHIR.newValidator().registerValidatorModule(hapiModule);
		List<Path> examples = examples();
		// Valid and invalid examples alternate through one validator, twice over: nothing
		// one resource leaves behind may change the next one's result.
		for (int round = 0; round < 2; round++) {
			for (Path file : examples) {
				IBaseResource example = FHIR.newJsonParser().parseResource(Files.readString(file));
				ValidationOptions options = options(example);
				List<String> errors = errors(ours, example, options);
				assertThat(errors).as(file.getFileName().toString()).isEqualTo(errors(hapis, example, options));
				assertThat(errors.isEmpty()).as(file.getFileName().toString())
					.isEqualTo(file.getFileName().toString().contains("-valid-"));
			}
		}
		assertThat(pooled.built()).isEqualTo(1);
	}

	@Test
	void retiresAValidatorAfterItsUsesAndSharesThePoolAcrossThreads() throws Exception {
		PooledInstanceValidator pooled = new PooledInstanceValidator(chain);
		FhirValidator validator = FHIR.newValidator().registerValidatorModule(pooled);
		IBaseResource valid = FHIR.newJsonParser()
			.parseResource(Files.readString(EXAMPLES.resolve("Observation-valid-heart-rate.json")));
		IBaseResource invalid = FHIR.newJsonParser()
			.parseResource(Files.readString(EXAMPLES.resolve("Observation-invalid-cw-obs-1.json")));
		ValidationOptions options = options(valid);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<Boolean>> results = new java.util.ArrayList<>();
			for (int i = 0; i < 2 * PooledInstanceValidator.USES; i++) {
				IBaseResource resource = (i % 2 == 0) ? valid : invalid;
				results.add(threads.submit(() -> errors(validator, resource, options).isEmpty()));
			}
			for (int i = 0; i < results.size(); i++) {
				assertThat(results.get(i).get()).as("resource %d", i).isEqualTo(i % 2 == 0);
			}
		}
		finally {
			threads.shutdown();
		}
		// At most one per thread at a time, plus those retired after USES resources.
		assertThat(pooled.built()).isBetween(2, 4 + 2);
	}

	private static ValidationOptions options(IBaseResource resource) {
		return ProfileValidation.options(profiles, resource);
	}

	private static List<String> errors(FhirValidator validator, IBaseResource resource, ValidationOptions options) {
		return ProfileValidation.errors(validator.validateWithResult(resource, options))
			.stream()
			.map(SingleValidationMessage::getMessage)
			.sorted()
			.toList();
	}

	private static List<Path> examples() throws IOException {
		try (var files = Files.list(EXAMPLES)) {
			return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
	}

}
