package health.crosswalk.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.ProfileKnowledgeWorkerR5;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * HAPI's instance validator with our IHE transcriptions ({@link IheProfiles}) loaded:
 * validates a resource against one profile and answers its errors.
 *
 * <p>
 * Snapshots are generated once, when it is built, and a transcription whose differential
 * cannot be applied fails the build of the validator. Once built it only reads, so one
 * instance serves a whole test class, from several threads if need be.
 *
 * <p>
 * When the system property {@value #IHE_PACKAGES_PROPERTY} names a directory of FHIR
 * package {@code .tgz} files (IHE's BALP, PIXm and PDQm packages and what they depend
 * on), they are loaded too, and {@link #iheErrors} validates against IHE's own profile of
 * the same name, so the checks can be repeated against IHE's packages where they can be
 * downloaded.
 */
final class ConformanceValidator {

	/** The system property naming a directory of IHE package {@code .tgz} files. */
	static final String IHE_PACKAGES_PROPERTY = "crosswalk.conformance.ihe-packages";

	private final FhirValidator validator;

	private final boolean ihePackages;

	/**
	 * Our transcriptions, and IHE's packages when {@value #IHE_PACKAGES_PROPERTY} names
	 * them.
	 */
	ConformanceValidator() {
		this(FhirContext.forR4Cached(), ihePackagesFromProperty());
	}

	/**
	 * Our transcriptions, and the packages in a directory.
	 * @param fhir an R4 context
	 * @param ihePackages a directory of package {@code .tgz} files, or {@code null}
	 */
	ConformanceValidator(FhirContext fhir, Path ihePackages) {
		DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(fhir);
		PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(fhir);
		for (ValueSet valueSet : IheProfiles.valueSets()) {
			ours.addValueSet(valueSet);
		}
		for (IBaseResource profile : snapshots(fhir, core, ours)) {
			ours.addStructureDefinition(profile);
		}
		List<IValidationSupport> modules = new ArrayList<>(List.of(core, ours));
		if (ihePackages != null) {
			modules.add(packages(fhir, ihePackages));
		}
		modules.add(new SnapshotGeneratingValidationSupport(fhir));
		modules.add(new InMemoryTerminologyServerValidationSupport(fhir));
		modules.add(new CommonCodeSystemsTerminologyService(fhir));
		ValidationSupportChain chain = new ValidationSupportChain(modules);
		FhirInstanceValidator module = new FhirInstanceValidator(chain);
		module.setErrorForUnknownProfiles(true);
		// Lets a reference's target type be checked from its
		// URL (Patient/x) without resolving it.
		module.setAssumeValidRestReferences(true);
		module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
		this.validator = fhir.newValidator().registerValidatorModule(module);
		this.ihePackages = ihePackages != null;
	}

	/**
	 * The errors of a resource against one of our transcriptions.
	 * @param resource the resource
	 * @param profile the transcription
	 * @return the error and fatal messages, each {@code location: message}; none when it
	 * conforms
	 */
	List<String> errors(IBaseResource resource, IheProfile profile) {
		return errors(resource, profile.url());
	}

	/**
	 * The errors of a resource against profiles (and the core resource definition).
	 * @param resource the resource
	 * @param profileUrls the canonical URLs of the profiles
	 * @return the error and fatal messages, each {@code location: message}; none when it
	 * conforms
	 */
	List<String> errors(IBaseResource resource, String... profileUrls) {
		ValidationOptions options = new ValidationOptions();
		for (String profileUrl : profileUrls) {
			options.addProfile(profileUrl);
		}
		List<String> errors = new ArrayList<>();
		for (SingleValidationMessage message : this.validator.validateWithResult(resource, options).getMessages()) {
			if (message.getSeverity() == ResultSeverityEnum.ERROR
					|| message.getSeverity() == ResultSeverityEnum.FATAL) {
				errors.add(message.getLocationString() + ": " + message.getMessage());
			}
		}
		return errors;
	}

	/**
	 * Whether IHE's own packages were loaded.
	 * @return whether {@link #iheErrors} may be called
	 */
	boolean hasIhePackages() {
		return this.ihePackages;
	}

	/**
	 * The errors of a resource against IHE's own profile that one of ours transcribes.
	 * @param resource the resource
	 * @param profile the transcription whose IHE original is meant
	 * @return the error and fatal messages
	 * @throws IllegalStateException when IHE's packages were not loaded
	 */
	List<String> iheErrors(IBaseResource resource, IheProfile profile) {
		if (!this.ihePackages) {
			throw new IllegalStateException("IHE's packages are not loaded; set " + IHE_PACKAGES_PROPERTY);
		}
		return errors(resource, profile.iheUrl());
	}

	private static Path ihePackagesFromProperty() {
		String directory = System.getProperty(IHE_PACKAGES_PROPERTY);
		return (directory == null || directory.isBlank()) ? null : Path.of(directory);
	}

	/**
	 * Our transcriptions with their snapshots, generated parents first; throws if a
	 * differential cannot be applied.
	 */
	private static List<IBaseResource> snapshots(FhirContext fhir, DefaultProfileValidationSupport core,
			PrePopulatedValidationSupport ours) {
		ValidationSupportChain chain = new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.disabled(),
				core, ours, new InMemoryTerminologyServerValidationSupport(fhir),
				new CommonCodeSystemsTerminologyService(fhir));
		IWorkerContext worker = new WorkerContextValidationSupportAdapter(chain);
		VersionCanonicalizer canonicalizer = new VersionCanonicalizer(fhir);
		Map<String, org.hl7.fhir.r5.model.StructureDefinition> generated = new HashMap<>();
		List<IBaseResource> snapshots = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (StructureDefinition differential : IheProfiles.structureDefinitions()) {
			org.hl7.fhir.r5.model.StructureDefinition profile = canonicalizer
				.structureDefinitionToCanonical(differential);
			org.hl7.fhir.r5.model.StructureDefinition base = generated.get(profile.getBaseDefinition());
			if (base == null) {
				base = worker.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class,
						profile.getBaseDefinition());
			}
			List<ValidationMessage> messages = new ArrayList<>();
			ProfileUtilities utilities = new ProfileUtilities(worker, messages, new ProfileKnowledgeWorkerR5(fhir));
			try {
				utilities.generateSnapshot(base, profile, profile.getUrl(), null, profile.getName());
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("Cannot apply " + profile.getUrl() + ": " + ex.getMessage(), ex);
			}
			for (ValidationMessage message : messages) {
				if (message.getLevel() == ValidationMessage.IssueSeverity.ERROR
						|| message.getLevel() == ValidationMessage.IssueSeverity.FATAL) {
					problems.add(profile.getUrl() + ": " + message.getLocation() + ": " + message.getMessage());
				}
			}
			Set<String> applied = new HashSet<>();
			profile.getSnapshot().getElement().forEach((element) -> applied.add(element.getId()));
			for (org.hl7.fhir.r5.model.ElementDefinition element : profile.getDifferential().getElement()) {
				if (!applied.contains(element.getId())) {
					problems.add(profile.getUrl() + ": " + element.getId() + " is not in the snapshot");
				}
			}
			generated.put(profile.getUrl(), profile);
			snapshots.add(canonicalizer.structureDefinitionFromCanonical(profile));
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Transcriptions that cannot be applied:\n" + String.join("\n", problems));
		}
		return snapshots;
	}

	/** Every FHIR package {@code .tgz} in a directory, for the validator. */
	private static IValidationSupport packages(FhirContext fhir, Path directory) {
		NpmPackageValidationSupport support = new NpmPackageValidationSupport(fhir);
		IParser parser = fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".tgz")).sorted().toList()) {
				try (InputStream in = Files.newInputStream(file)) {
					NpmPackage npm = NpmPackage.fromPackage(in);
					NpmPackage.NpmPackageFolder folder = npm.getFolders().get("package");
					if (folder == null) {
						continue;
					}
					for (String name : folder.listFiles()) {
						if (name.toLowerCase(Locale.ROOT).endsWith(".json") && !name.equals("package.json")
								&& !name.startsWith(".")) {
							support.addResource(parser
								.parseResource(new String(folder.getContent().get(name), StandardCharsets.UTF_8)));
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot load the IHE packages in " + directory, ex);
		}
		return support;
	}

}
