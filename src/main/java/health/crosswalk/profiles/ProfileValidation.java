package health.crosswalk.profiles;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import health.crosswalk.server.CrosswalkException;
import health.crosswalk.server.Outcomes;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates resources as Crosswalk accepts them: the four core types against their
 * Crosswalk profile (vital signs also against the FHIR core vital-signs profile), every
 * other type against the base FHIR definitions.
 */
final class ProfileValidation {

	private static final Logger log = LoggerFactory.getLogger(ProfileValidation.class);

	/** Writes between two log lines counting what the compiled check decided. */
	private static final int REPORT_EVERY = 10_000;

	private final FhirValidator validator;

	private final ProfileSet profiles;

	private final CompiledCheck compiled;

	private final int fullCheckEvery;

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong undecided = new AtomicLong();

	private ProfileValidation(FhirValidator validator, ProfileSet profiles, CompiledCheck compiled,
			int fullCheckEvery) {
		this.validator = validator;
		this.profiles = profiles;
		this.compiled = compiled;
		this.fullCheckEvery = fullCheckEvery;
	}

	/**
	 * Validation with the given support chain, which must hold the profiles, by the full
	 * validator alone.
	 * @param fhir the FHIR context
	 * @param chain the validation support chain
	 * @param profiles Crosswalk's profiles
	 * @return the validation
	 */
	static ProfileValidation using(FhirContext fhir, IValidationSupport chain, ProfileSet profiles) {
		return using(fhir, chain, profiles, false, 0);
	}

	/**
	 * Validation with the given support chain, which must hold the profiles.
	 * @param compiledCheck whether writes the compiled check accepts skip the full
	 * validator
	 * @param fullCheckEvery of the writes the compiled check accepts, every this many is
	 * validated in full as well (0: none)
	 */
	static ProfileValidation using(FhirContext fhir, IValidationSupport chain, ProfileSet profiles,
			boolean compiledCheck, int fullCheckEvery) {
		return new ProfileValidation(fhir.newValidator().registerValidatorModule(new PooledInstanceValidator(chain)),
				profiles, compiledCheck ? CompiledCheck.using(fhir, chain) : null, fullCheckEvery);
	}

	ValidationResult validate(IBaseResource resource) {
		return this.validator.validateWithResult(resource, options(this.profiles, resource));
	}

	/**
	 * The profiles a resource is validated against: its type's Crosswalk profile, and the
	 * core vital-signs profile for vital signs.
	 */
	static ValidationOptions options(ProfileSet profiles, IBaseResource resource) {
		ValidationOptions options = new ValidationOptions();
		profiles.profileFor(resource.fhirType()).ifPresent(options::addProfile);
		if (isVitalSign(resource)) {
			options.addProfile(ProfileSet.VITAL_SIGNS);
		}
		return options;
	}

	/**
	 * Refuses a resource that does not conform, with a 422 whose issues name each element
	 * and rule broken.
	 * @param resource the resource about to be stored
	 */
	void enforce(IBaseResource resource) {
		boolean compiledAccepts = false;
		if (this.compiled != null) {
			String undecided = this.compiled.undecided(resource, options(this.profiles, resource).getProfiles());
			compiledAccepts = undecided == null;
			if (!compiledAccepts && log.isDebugEnabled()) {
				log.debug("Full validation of a {}: the compiled check met {}", resource.fhirType(), undecided);
			}
			long count = (compiledAccepts ? this.accepted : this.undecided).incrementAndGet();
			if ((this.accepted.get() + this.undecided.get()) % REPORT_EVERY == 0) {
				log.info("Compiled profile check: {} writes accepted, {} sent to the full validator",
						this.accepted.get(), this.undecided.get());
			}
			if (compiledAccepts && (this.fullCheckEvery == 0 || count % this.fullCheckEvery != 0)) {
				return;
			}
		}
		List<SingleValidationMessage> errors = errors(validate(resource));
		if (errors.isEmpty()) {
			return;
		}
		if (compiledAccepts) {
			// The full validator has the last word; a disagreement is a defect to report.
			log.error(
					"The compiled profile check accepted a {} the full validator refuses ({}: {}); refused. "
							+ "Please report this with the resource.",
					resource.fhirType(), errors.get(0).getLocationString(), errors.get(0).getMessage());
		}
		OperationOutcome outcome = new OperationOutcome();
		for (SingleValidationMessage error : errors) {
			OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
				.setSeverity(IssueSeverity.ERROR)
				.setCode(ProfileError.NOT_CONFORMANT.definition().type())
				.setDiagnostics(error.getMessage());
			if (error.getLocationString() != null) {
				issue.addLocation(error.getLocationString());
				issue.addExpression(error.getLocationString());
			}
			issue.getDetails()
				.setText(ProfileError.NOT_CONFORMANT.definition().hint())
				.addCoding()
				.setSystem(Outcomes.SYSTEM)
				.setCode(ProfileError.NOT_CONFORMANT.code());
		}
		String profile = this.profiles.profileFor(resource.fhirType()).orElse("the base FHIR R4 definition");
		throw new CrosswalkException(ProfileError.NOT_CONFORMANT,
				resource.fhirType() + " does not conform to " + profile + ": " + errors.size() + " error(s), first: "
						+ errors.get(0).getLocationString() + ": " + errors.get(0).getMessage(),
				outcome);
	}

	ProfileSet profiles() {
		return this.profiles;
	}

	/** The compiled check, or null when writes go to the full validator alone. */
	CompiledCheck compiled() {
		return this.compiled;
	}

	static List<SingleValidationMessage> errors(ValidationResult result) {
		return result.getMessages()
			.stream()
			.filter((message) -> message.getSeverity() == ResultSeverityEnum.ERROR
					|| message.getSeverity() == ResultSeverityEnum.FATAL)
			.toList();
	}

	private static boolean isVitalSign(IBaseResource resource) {
		return resource instanceof Observation observation && observation.getCategory()
			.stream()
			.flatMap((category) -> category.getCoding().stream())
			.anyMatch((coding) -> "vital-signs".equals(coding.getCode())
					&& "http://terminology.hl7.org/CodeSystem/observation-category".equals(coding.getSystem()));
	}

}
