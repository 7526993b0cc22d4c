package health.crosswalk.limits;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.util.BundleUtil;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * The limits on a resource's values, checked on every resource before it is stored
 * (created, updated, patched, or an entry of a bundle): strings of at most so many
 * characters, and decimals that can be written out in full in at most so many characters.
 * Such a decimal is a value PostgreSQL, HAPI's indexes and every client can hold;
 * {@code 1e-999999} is not, and a stored one would break every later read of its
 * resource.
 */
final class ResourceLimits {

	/** User data on a resource whose bundle was checked whole. */
	private static final String CHECKED = ResourceLimits.class.getName() + ".checked";

	private final FhirContext fhir;

	private final ElementWalk walk;

	private final int maxStringLength;

	private final int maxDecimalLength;

	private final int maxElements;

	private final Consumer<String> conditionalReferences;

	/**
	 * The limits.
	 * @param conditionalReferences checks each conditional reference
	 * ({@code Patient?identifier=...}) met on the way, before HAPI searches with it
	 */
	ResourceLimits(FhirContext fhir, int maxStringLength, int maxDecimalLength, int maxElements,
			Consumer<String> conditionalReferences) {
		this.fhir = fhir;
		this.walk = new ElementWalk(fhir);
		this.maxStringLength = maxStringLength;
		this.maxDecimalLength = maxDecimalLength;
		this.maxElements = maxElements;
		this.conditionalReferences = conditionalReferences;
	}

	/**
	 * Refuses a resource holding a value beyond the limits, unless the bundle it came in
	 * was checked whole ({@link #checkEntries}).
	 * @param resource the resource about to be stored
	 * @throws BaseServerResponseException (400) naming the first value beyond a limit
	 */
	void check(IBaseResource resource) {
		if (resource.getUserData(CHECKED) != Boolean.TRUE) {
			walk(resource);
		}
	}

	/**
	 * Checks every resource of a transaction before HAPI processes any, and marks each as
	 * checked: HAPI searches for all of a transaction's conditional references at its
	 * start, before the check of each resource as it is stored, which then need not walk
	 * it again. A batch's entries are left to that check, each on its own, so that one
	 * refused entry does not refuse the others.
	 * @param bundle the bundle about to be processed
	 * @throws BaseServerResponseException (400) naming the first value beyond a limit
	 */
	void checkEntries(IBaseBundle bundle) {
		if (!"transaction".equals(BundleUtil.getBundleType(this.fhir, bundle))) {
			return;
		}
		for (IBaseResource resource : BundleUtil.toListOfResources(this.fhir, bundle)) {
			walk(resource);
			resource.setUserData(CHECKED, Boolean.TRUE);
		}
	}

	private void walk(IBaseResource resource) {
		int[] count = new int[1];
		this.walk.walk(resource, (element, elements, children) -> {
			if (++count[0] > this.maxElements) {
				throw LimitError.TOO_MANY_ELEMENTS.exception("The " + resource.fhirType() + " holds more than "
						+ this.maxElements + " elements (crosswalk.limits.max-elements).");
			}
			check(element, elements, children);
		});
	}

	private void check(IBase element, List<IBase> elements, List<BaseRuntimeChildDefinition> children) {
		if (!(element instanceof IPrimitiveType<?> primitive)) {
			return;
		}
		Object value = primitive.getValue();
		if (value instanceof String text) {
			if (text.length() > this.maxStringLength) {
				throw refusal(LimitError.STRING_TOO_LONG, elements, children,
						"has " + text.length() + " characters; the limit is " + this.maxStringLength
								+ " (crosswalk.limits.max-string-length)");
			}
			int bad = invalidCharacter(text);
			if (bad >= 0) {
				throw refusal(LimitError.INVALID_TEXT, elements, children,
						String.format("holds the character U+%04X at position %d, which FHIR text does not allow",
								(int) text.charAt(bad), bad));
			}
			if (elements.size() >= 2 && elements.get(elements.size() - 2) instanceof IBaseReference
					&& text.indexOf('?') > 0) {
				this.conditionalReferences.accept(text);
			}
		}
		if (element instanceof BaseDateTimeType date && date.getValue() != null && !isWellFormed(date)) {
			throw refusal(LimitError.INVALID_VALUE, elements, children, "'" + date.getValueAsString()
					+ "' is not a valid " + date.fhirType() + " (its precision or form is not allowed for the type)");
		}
		if (value instanceof BigDecimal decimal) {
			long length = plainLength(decimal);
			if (length > this.maxDecimalLength) {
				throw refusal(LimitError.DECIMAL_OUT_OF_RANGE, elements, children,
						"needs " + length + " characters written without an exponent; the limit is "
								+ this.maxDecimalLength + " (crosswalk.limits.max-decimal-length)");
			}
		}
	}

	/**
	 * Whether a date, date-time or instant the parser accepted is one its type allows
	 * (the parser keeps a {@code birthDate} with a time, which every later copy of the
	 * resource then fails on).
	 * @param date the value
	 * @return false if its type refuses it
	 */
	static boolean isWellFormed(BaseDateTimeType date) {
		try {
			date.copy();
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * The first character FHIR's string type does not allow (control characters other
	 * than tab, carriage return and line feed) or that is not Unicode text (a surrogate
	 * without its pair), which PostgreSQL could not store as sent.
	 * @param text a string value
	 * @return its position, or -1
	 */
	static int invalidCharacter(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20) {
				if (c != '\t' && c != '\n' && c != '\r') {
					return i;
				}
			}
			else if (Character.isHighSurrogate(c)) {
				if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return i;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * How many characters {@link BigDecimal#toPlainString()} would write, computed
	 * without writing them.
	 * @param decimal the number
	 * @return its length written without an exponent
	 */
	static long plainLength(BigDecimal decimal) {
		long sign = (decimal.signum() < 0) ? 1 : 0;
		long digits = decimal.precision();
		long scale = decimal.scale();
		if (scale <= 0) {
			return sign + ((decimal.signum() == 0) ? 1 : digits - scale);
		}
		return sign + ((scale >= digits) ? 2 + scale : digits + 1);
	}

	private static BaseServerResponseException refusal(LimitError error, List<IBase> elements,
			List<BaseRuntimeChildDefinition> children, String what) {
		return error.exception("The value at " + path(elements, children) + " " + what + ".");
	}

	/**
	 * The FHIRPath-like location of an element, such as
	 * {@code Observation.valueQuantity.value}.
	 */
	static String path(List<IBase> elements, List<BaseRuntimeChildDefinition> children) {
		StringBuilder path = new StringBuilder(
				(elements.get(0) instanceof IBaseResource resource) ? resource.fhirType() : "?");
		// The child definition at i leads from the element at i to the one at i + 1.
		for (int i = 0; i < children.size() && i + 1 < elements.size(); i++) {
			BaseRuntimeChildDefinition child = children.get(i);
			if (child == null) {
				continue;
			}
			IBase reached = elements.get(i + 1);
			String name = child.getChildNameByDatatype(reached.getClass());
			path.append('.').append((name != null) ? name : child.getElementName());
			if (reached instanceof IBaseResource contained) {
				path.append('(').append(contained.fhirType()).append(')');
			}
		}
		return path.toString();
	}

}
