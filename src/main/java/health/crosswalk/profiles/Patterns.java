package health.crosswalk.profiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionSlicingDiscriminatorComponent;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;

/**
 * Fixed values, patterns and slice membership as the core validator reads them (its
 * {@code checkFixedValue} and the discriminator expressions it builds).
 */
final class Patterns {

	/**
	 * Primitive types the validator compares as text (dates it compares wrongly: always
	 * an error).
	 */
	private static final Set<String> TEXT_COMPARED = Set.of("string", "code", "id", "uri", "url", "canonical", "oid",
			"uuid", "boolean", "integer", "positiveInt", "unsignedInt", "markdown");

	private Patterns() {
	}

	/**
	 * Whether a fixed value or pattern of this kind is checked the way this class checks
	 * it.
	 */
	static boolean comparable(Base rule) {
		if (rule instanceof PrimitiveType<?>) {
			return TEXT_COMPARED.contains(rule.fhirType());
		}
		if (rule instanceof CodeableConcept concept) {
			return !concept.hasExtension() && !concept.hasId()
					&& concept.getCoding().stream().allMatch(Patterns::plainCoding);
		}
		return rule instanceof Coding coding && plainCoding(coding);
	}

	private static boolean plainCoding(Coding coding) {
		return !coding.hasExtension() && !coding.hasId() && !coding.hasUserSelected();
	}

	/** A fixed value: equal in every element, primitives by their text. */
	static boolean equal(Base value, Base fixed) {
		if (fixed instanceof PrimitiveType<?> expected) {
			return value instanceof PrimitiveType<?> actual && expected.getValueAsString() != null
					&& expected.getValueAsString().equals(actual.getValueAsString());
		}
		return value.equalsDeep(fixed);
	}

	/**
	 * A pattern: every element the pattern has, the value has too (each repetition of the
	 * pattern matched by some repetition of the value).
	 */
	static boolean matches(Base value, Base pattern) {
		if (pattern instanceof PrimitiveType<?>) {
			return equal(value, pattern);
		}
		if (!value.fhirType().equals(pattern.fhirType())) {
			return false;
		}
		for (Property property : pattern.children()) {
			for (Base expected : property.getValues()) {
				if (expected == null || expected.isEmpty()) {
					continue;
				}
				boolean found = false;
				for (Base actual : CompiledCheck.values(value, property.getName())) {
					if (matches(actual, expected)) {
						found = true;
						break;
					}
				}
				if (!found) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * Whether an item belongs to a slice told apart by value or pattern discriminators,
	 * as the validator's discriminator expressions decide it: a fixed primitive is
	 * {@code ('v' in path)}, a pattern coding {@code path.coding.where(...).exists()} for
	 * each of the pattern's codings.
	 * @return the answer, or null when this class does not decide it
	 */
	static Boolean inSlice(Base item, Shape slice,
			List<ElementDefinitionSlicingDiscriminatorComponent> discriminators) {
		for (ElementDefinitionSlicingDiscriminatorComponent discriminator : discriminators) {
			String path = discriminator.getPath();
			Shape criteria = slice;
			List<Base> actual = List.of(item);
			if (!path.equals("$this")) {
				for (String name : path.split("\\.")) {
					criteria = criteria.children.get(name);
					if (criteria == null) {
						return null;
					}
					List<Base> next = new ArrayList<>();
					for (Base base : actual) {
						next.addAll(CompiledCheck.values(base, name));
					}
					actual = next;
				}
			}
			if (criteria.max == 0 || (criteria.fixed == null && criteria.pattern == null)) {
				return null;
			}
			Boolean in = (criteria.fixed != null) ? fixedIn(actual, criteria.fixed)
					: patternIn(actual, criteria.pattern);
			if (in == null || !in) {
				return in;
			}
		}
		return true;
	}

	private static Boolean fixedIn(List<Base> actual, Base fixed) {
		if (!(fixed instanceof PrimitiveType<?>) || !TEXT_COMPARED.contains(fixed.fhirType())) {
			return null;
		}
		return actual.stream().anyMatch((value) -> equal(value, fixed));
	}

	private static Boolean patternIn(List<Base> actual, Base pattern) {
		if (pattern instanceof PrimitiveType<?>) {
			return TEXT_COMPARED.contains(pattern.fhirType())
					? actual.stream().anyMatch((value) -> equal(value, pattern)) : null;
		}
		List<Coding> expected;
		List<Coding> codings = new ArrayList<>();
		if (pattern instanceof CodeableConcept concept && !concept.hasText() && concept.hasCoding()) {
			expected = concept.getCoding();
			for (Base value : actual) {
				if (!(value instanceof CodeableConcept found)) {
					return null;
				}
				codings.addAll(found.getCoding());
			}
		}
		else if (pattern instanceof Coding coding) {
			expected = List.of(coding);
			for (Base value : actual) {
				if (!(value instanceof Coding found)) {
					return null;
				}
				codings.add(found);
			}
		}
		else {
			return null;
		}
		for (Coding wanted : expected) {
			if (codings.stream().noneMatch((coding) -> matches(coding, wanted))) {
				return false;
			}
		}
		return true;
	}

}
