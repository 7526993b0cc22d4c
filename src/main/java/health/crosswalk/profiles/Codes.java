package health.crosswalk.profiles;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport.CodeValidationResult;
import ca.uhn.fhir.context.support.IValidationSupport.IssueSeverity;
import ca.uhn.fhir.context.support.ValidationSupportContext;

/**
 * The answers of the validation support chain about codes, remembered: a code system or
 * value set answers the same for the same code, and Synthea's hundreds of thousands of
 * codings use a few thousand distinct codes.
 */
final class Codes {

	/** Answers kept before the memory is cleared and starts again. */
	static final int REMEMBERED = 50_000;

	private final IValidationSupport support;

	private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

	Codes(IValidationSupport support) {
		this.support = support;
	}

	/**
	 * Whether the chain holds this code system's content (and so validates its codes).
	 */
	boolean systemKnown(String system) {
		return remember("S|" + system,
				() -> this.support.isCodeSystemSupported(new ValidationSupportContext(this.support), system));
	}

	/**
	 * Whether the chain says the code is valid in its system with no issue at error level
	 * (the validator does not check displays).
	 */
	boolean valid(String system, String code) {
		return remember("C|" + system + "|" + code,
				() -> ok(this.support.validateCode(new ValidationSupportContext(this.support),
						new ConceptValidationOptions(), system, code, null, null)));
	}

	/**
	 * Whether the chain says the code is in the value set, with no issue at error level.
	 */
	boolean member(String valueSet, String system, String code) {
		return remember("V|" + valueSet + "|" + system + "|" + code, () -> {
			ConceptValidationOptions options = new ConceptValidationOptions();
			if (system == null) {
				options.setInferSystem(true);
			}
			return ok(this.support.validateCode(new ValidationSupportContext(this.support), options, system, code, null,
					valueSet));
		});
	}

	private static boolean ok(CodeValidationResult result) {
		if (result == null || !result.isOk() || result.getCode() == null) {
			return false;
		}
		if (result.getSeverity() == IssueSeverity.ERROR || result.getSeverity() == IssueSeverity.FATAL) {
			return false;
		}
		return result.getIssues()
			.stream()
			.noneMatch((issue) -> issue.getSeverity() == IssueSeverity.ERROR
					|| issue.getSeverity() == IssueSeverity.FATAL);
	}

	private boolean remember(String key, BooleanSupplier question) {
		Boolean known = this.answers.get(key);
		if (known != null) {
			return known;
		}
		boolean answer;
		try {
			answer = question.getAsBoolean();
		}
		catch (RuntimeException ex) {
			answer = false;
		}
		if (this.answers.size() >= REMEMBERED) {
			this.answers.clear();
		}
		this.answers.put(key, answer);
		return answer;
	}

}
