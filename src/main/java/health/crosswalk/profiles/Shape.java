package health.crosswalk.profiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionSlicingDiscriminatorComponent;

/**
 * One element of a StructureDefinition snapshot, compiled for {@link CompiledCheck}: what
 * the core validator would check on it, in a form that costs nothing to look up.
 */
final class Shape {

	/** The element's id in its snapshot, for messages. */
	final String id;

	/** The property name in HAPI's model ({@code value} for {@code value[x]}). */
	final String name;

	/** Its hash, as HAPI's model switches on it. */
	final int hash;

	final int min;

	final int max;

	/** Type codes the element allows (for a choice, the value's type must be one). */
	final Set<String> types;

	/**
	 * The one profile each type is constrained to, by type code (SimpleQuantity, say).
	 */
	final Map<String, String> typeProfiles;

	/** Resource types a Reference may point to; empty: any. Null: a target not known. */
	final Set<String> targetTypes;

	final Base fixed;

	final Base pattern;

	/**
	 * The value set the value must be in, else null: that of a required binding, or of
	 * another binding to a value set HAPI's common code systems answer.
	 */
	final String valueSet;

	/** The binding's {@code maxValueSet}, else null. */
	final String maxValueSet;

	final int maxLength;

	final List<Invariant> invariants;

	/** {@code #Path.to.element} whose children this element repeats, else null. */
	final String contentReference;

	/** The element {@link #contentReference} names, once its definition is compiled. */
	Shape referenced;

	/** Whether a Reference's targets include profiles beyond the base definitions. */
	final boolean profiledTargets;

	final Map<String, Shape> children = new LinkedHashMap<>();

	/** Discriminators, when the element is sliced. */
	final List<ElementDefinitionSlicingDiscriminatorComponent> discriminators;

	final boolean closed;

	final List<Shape> slices = new ArrayList<>();

	/** Why this element cannot be checked quickly, or null when it can. */
	final String unsupported;

	Shape(Builder builder) {
		this.id = builder.id;
		this.name = builder.name;
		this.hash = builder.name.hashCode();
		this.min = builder.min;
		this.max = builder.max;
		this.types = builder.types;
		this.typeProfiles = builder.typeProfiles;
		this.targetTypes = builder.targetTypes;
		this.fixed = builder.fixed;
		this.pattern = builder.pattern;
		this.valueSet = builder.valueSet;
		this.profiledTargets = builder.profiledTargets;
		this.maxValueSet = builder.maxValueSet;
		this.maxLength = builder.maxLength;
		this.invariants = builder.invariants;
		this.contentReference = builder.contentReference;
		this.discriminators = builder.discriminators;
		this.closed = builder.closed;
		this.unsupported = builder.unsupported;
	}

	/**
	 * A FHIRPath invariant of severity error.
	 *
	 * @param key its key ({@code obs-6})
	 * @param source the expression as the validator evaluates it
	 * @param expression the parsed expression, or null when it did not parse
	 */
	record Invariant(String key, String source, ExpressionNode expression) {
	}

	static final class Builder {

		String id;

		String name;

		boolean choice;

		int min;

		int max;

		Set<String> types = Set.of();

		Map<String, String> typeProfiles = Map.of();

		Set<String> targetTypes = Set.of();

		Base fixed;

		Base pattern;

		String valueSet;

		boolean profiledTargets;

		String maxValueSet;

		int maxLength;

		List<Invariant> invariants = List.of();

		String contentReference;

		List<ElementDefinitionSlicingDiscriminatorComponent> discriminators = List.of();

		boolean closed;

		String unsupported;

	}

}
