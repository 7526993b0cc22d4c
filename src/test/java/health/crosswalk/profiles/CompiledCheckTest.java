package health.crosswalk.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compiled check accepts what it can be sure of and leaves the rest to the full
 * validator: each case here is one the full validator refuses (checked alongside), or one
 * the check must decide alone.
 */
class CompiledCheckTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static ProfileSet profiles;

	private static ProfileValidation full;

	private static CompiledCheck compiled;

	@BeforeAll
	static void load() {
		profiles = ProfileSet.load(FHIR);
		ValidationSupportChain chain = ProfilesTest.chain(profiles);
		full = ProfileValidation.using(FHIR, chain, profiles);
		compiled = CompiledCheck.using(FHIR, chain);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("health.crosswalk.profiles.ProfilesTest#examples")
	void acceptsTheValidExamplesAndLeavesTheInvalidOnesToTheFullValidator(Path file) throws IOException {
		IBaseResource example = FHIR.newJsonParser().parseResource(Files.readString(file));
		boolean valid = file.getFileName().toString().contains("-valid-");
		assertThat(accepts(example)).as(compiled.undecided(example, profilesFor(example))).isEqualTo(valid);
	}

	@Test
	void acceptsAVitalSignWithItsSliceAndUnits() {
		Observation observation = heartRate();
		assertThat(compiled.undecided(observation, profilesFor(observation))).isNull();
		assertThat(ProfileValidation.errors(full.validate(observation))).isEmpty();
	}

	@Test
	void leavesWhatTheFullValidatorRefusesToIt() {
		Observation badUnit = heartRate();
		badUnit.getValueQuantity().setCode("beats per minute");
		Observation mixedPrecision = heartRate();
		mixedPrecision.setEffective(new Period().setStartElement(new DateTimeType("2020-01-01"))
			.setEndElement(new DateTimeType("2020-01-01T10:00:00Z")));
		Observation unknownCategory = heartRate();
		unknownCategory.getCategoryFirstRep().getCodingFirstRep().setCode("vital-sign");
		for (Observation refused : List.of(badUnit, mixedPrecision, unknownCategory)) {
			assertThat(ProfileValidation.errors(full.validate(refused))).as("the full validator refuses it")
				.isNotEmpty();
			assertThat(accepts(refused)).isFalse();
		}
	}

	@Test
	void acceptsAReferenceTypedAsItsTargetAndLeavesOtherTypesToTheFullValidator() {
		Observation typed = heartRate();
		typed.getSubject().setType("Patient");
		assertThat(ProfileValidation.errors(full.validate(typed))).isEmpty();
		assertThat(compiled.undecided(typed, profilesFor(typed))).isNull();
		typed.setSubject(new Reference("urn:uuid:" + java.util.UUID.randomUUID()).setType("Patient"));
		assertThat(ProfileValidation.errors(full.validate(typed))).as("a placeholder of a bundle").isEmpty();
		assertThat(compiled.undecided(typed, profilesFor(typed))).isNull();

		for (String type : List.of("Practitioner", "Basic", "NoSuchType",
				"http://hl7.org/fhir/StructureDefinition/Patient")) {
			Observation other = heartRate();
			other.getSubject().setType(type);
			assertThat(accepts(other)).as(type).isFalse();
		}
		Observation mismatch = heartRate();
		mismatch.getSubject().setType("Group");
		assertThat(ProfileValidation.errors(full.validate(mismatch))).as("a type its reference contradicts")
			.isNotEmpty();
		assertThat(accepts(mismatch)).isFalse();
	}

	@Test
	void acceptsAContainedResourceItsContainerReferencesAndNotAnOrphan() {
		ExplanationOfBenefit claim = new ExplanationOfBenefit();
		claim.setId("eob-1");
		claim.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
		claim.getType()
			.addCoding()
			.setSystem("http://terminology.hl7.org/CodeSystem/claim-type")
			.setCode("professional");
		claim.setUse(ExplanationOfBenefit.Use.CLAIM);
		claim.setPatient(new Reference("Patient/p1"));
		claim.setCreatedElement(new DateTimeType("2024-05-01T10:00:00Z"));
		claim.setInsurer(new Reference("Organization/o1"));
		claim.setProvider(new Reference("Practitioner/d1"));
		claim.setOutcome(ExplanationOfBenefit.RemittanceOutcome.COMPLETE);
		Coverage coverage = new Coverage();
		coverage.setId("cov");
		coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
		coverage.setBeneficiary(new Reference("Patient/p1"));
		coverage.addPayor(new Reference("Organization/o1"));
		claim.addContained(coverage);
		claim.addInsurance().setFocal(true).setCoverage(new Reference("#cov"));
		assertThat(ProfileValidation.errors(full.validate(claim))).isEmpty();
		assertThat(compiled.undecided(claim, List.of())).isNull();

		claim.getInsuranceFirstRep().setCoverage(new Reference("Coverage/elsewhere"));
		assertThat(ProfileValidation.errors(full.validate(claim))).as("dom-3: an orphan").isNotEmpty();
		assertThat(accepts(claim)).isFalse();
	}

	private static Observation heartRate() {
		Observation observation = new Observation();
		observation.setId("hr-1");
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.addCategory()
			.addCoding()
			.setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
			.setCode("vital-signs");
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Heart rate");
		observation.setSubject(new Reference("Patient/p1"));
		observation.setEffective(new DateTimeType("2024-05-01T10:00:00Z"));
		observation.setValue(new Quantity(72).setUnit("/min").setSystem("http://unitsofmeasure.org").setCode("/min"));
		return observation;
	}

	private static boolean accepts(IBaseResource resource) {
		return compiled.accepts(resource, profilesFor(resource));
	}

	private static List<String> profilesFor(IBaseResource resource) {
		return ProfileValidation.options(profiles, resource).getProfiles().stream().toList();
	}

}
