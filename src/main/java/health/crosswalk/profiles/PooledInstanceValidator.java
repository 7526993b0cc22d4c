package health.crosswalk.profiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.validator.FhirDefaultPolicyAdvisor;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ParserBase.ValidationPolicy;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * The FHIR core instance validator as a HAPI validator module, without building a new
 * core validator for every resource.
 *
 * <p>
 * HAPI's {@code FhirInstanceValidator} constructs an {@link InstanceValidator} per
 * resource. In the core library HAPI 8.8.0 ships (6.7.9) that constructor reads the 1.5
 * MB OID registry ({@code OIDUtilities}) and builds a FHIRPath engine: about 9 ms, three
 * quarters of the time it takes to validate a typical Synthea resource. This module keeps
 * idle validators in a pool and gives each one up to {@link #USES} resources: the
 * validator's main entry clears its per-resource state, and the few collections it never
 * clears (the codings and code/text pairs it has seen) stay small because the validator
 * is retired after that many uses.
 *
 * <p>
 * Settings are those of HAPI's {@code FhirInstanceValidator} as Crosswalk uses it: any
 * extension allowed, a declared profile the server does not know (US Core, say) is a
 * warning rather than a refusal, since the resource is checked against Crosswalk's own
 * profile anyway, resource ids optional, unknown code systems an error, and HAPI's
 * default policy advisor (a reference is checked for its form and target type, never
 * fetched). The profiles to validate against are those of the validation options; the
 * validator also checks the profiles the resource declares in {@code meta.profile} that
 * it knows.
 */
final class PooledInstanceValidator implements IValidatorModule {

	/** Resources one core validator validates before it is retired. */
	static final int USES = 100;

	private final IWorkerContext context;

	private final ConcurrentLinkedDeque<Pooled> idle = new ConcurrentLinkedDeque<>();

	private final int maxIdle;

	private final AtomicInteger built = new AtomicInteger();

	PooledInstanceValidator(IValidationSupport support) {
		this.context = WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(support);
		this.maxIdle = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
	}

	@Override
	public void validateResource(IValidationContext<IBaseResource> validationContext) {
		List<ValidationMessage> messages = new ArrayList<>();
		List<StructureDefinition> profiles = new ArrayList<>();
		for (String url : validationContext.getOptions().getProfiles()) {
			StructureDefinition profile = this.context.fetchResource(StructureDefinition.class, url);
			if (profile == null) {
				throw new IllegalStateException("The validator does not know the profile " + url);
			}
			profiles.add(profile);
		}
		boolean json = validationContext.getResourceAsStringEncoding() != EncodingEnum.XML;
		byte[] content = validationContext.getResourceAsString().getBytes(StandardCharsets.UTF_8);
		Pooled pooled = borrow();
		boolean completed = false;
		try {
			if (json) {
				validateJson(pooled, content, messages, profiles);
			}
			else {
				pooled.validator.validate(null, messages, new ByteArrayInputStream(content), FhirFormat.XML, profiles);
			}
			completed = true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			// A validator that threw may hold the failed resource's state: not reused.
			if (completed) {
				giveBack(pooled);
			}
		}
		for (ValidationMessage message : messages) {
			if (!dropped(message)) {
				validationContext.addValidationMessage(toHapi(message));
			}
		}
	}

	/**
	 * What the core validator's own stream entry does for JSON, with the pooled
	 * validator's parser instead of a new one per resource (a parser builds its own
	 * FHIRPath engine: a few percent of a validation).
	 */
	private static void validateJson(Pooled pooled, byte[] content, List<ValidationMessage> messages,
			List<StructureDefinition> profiles) throws IOException {
		List<ValidatedFragment> fragments = pooled.parser.parse(new ByteArrayInputStream(content));
		for (ValidatedFragment fragment : fragments) {
			if (fragment.getElement() != null) {
				pooled.validator.validate(null, fragment.getErrors(), (fragments.size() > 1) ? fragment.path() : null,
						fragment.getElement(), profiles);
			}
			messages.addAll(fragment.getErrors());
		}
	}

	/** Core validators built so far, for tests. */
	int built() {
		return this.built.get();
	}

	private Pooled borrow() {
		Pooled pooled = this.idle.pollFirst();
		return (pooled != null) ? pooled : new Pooled(build(), parser());
	}

	private void giveBack(Pooled pooled) {
		if (++pooled.uses < USES && this.idle.size() < this.maxIdle) {
			this.idle.offerFirst(pooled);
		}
	}

	private InstanceValidator build() {
		this.built.incrementAndGet();
		InstanceValidator validator = new InstanceValidator(this.context,
				new FhirInstanceValidator.NullEvaluationContext(), new XVerExtensionManagerOld(this.context),
				new ValidatorSession(), new ValidatorSettings());
		validator.setAssumeValidRestReferences(false);
		validator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Warning);
		validator.setAnyExtensionsAllowed(true);
		validator.setResourceIdRule(IdStatus.OPTIONAL);
		validator.setNoTerminologyChecks(false);
		validator.setErrorForUnknownProfiles(false);
		validator.setUnknownCodeSystemsCauseErrors(true);
		validator.setPolicyAdvisor(new FhirDefaultPolicyAdvisor());
		validator.setAllowXsiLocation(true);
		return validator;
	}

	private ParserBase parser() {
		ParserBase parser = Manager.makeParser(this.context, FhirFormat.JSON);
		parser.setupValidation(ValidationPolicy.EVERYTHING);
		return parser;
	}

	private static boolean dropped(ValidationMessage message) {
		String id = message.getMessageId();
		return id != null && (I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE.equals(id)
				|| (I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND.equals(id)
						&& message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
	}

	private static SingleValidationMessage toHapi(ValidationMessage message) {
		SingleValidationMessage hapi = new SingleValidationMessage();
		if (message.getLine() != -1) {
			hapi.setLocationLine(message.getLine());
		}
		if (message.getCol() != -1) {
			hapi.setLocationCol(message.getCol());
		}
		hapi.setLocationString(message.getLocation());
		hapi.setMessage(message.getMessage());
		if (message.getLevel() != null) {
			hapi.setSeverity(ResultSeverityEnum.fromCode(message.getLevel().toCode()));
		}
		if (message.getMessageId() != null && !message.getMessageId().contains(" ")) {
			hapi.setMessageId(message.getMessageId());
		}
		return hapi;
	}

	private static final class Pooled {

		private final InstanceValidator validator;

		private final ParserBase parser;

		private int uses;

		private Pooled(InstanceValidator validator, ParserBase parser) {
			this.validator = validator;
			this.parser = parser;
		}

	}

}
