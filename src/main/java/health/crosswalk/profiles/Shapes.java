package health.crosswalk.profiles;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.ConstraintSeverity;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionBindingComponent;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionConstraintComponent;
import org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * StructureDefinitions compiled into {@link Shape} trees, each once, from the snapshots
 * the validation support chain holds (Crosswalk's profiles and the core definitions).
 * What the core validator does with each rule is that of its 6.7.9 release, which HAPI
 * 8.8.0 ships.
 */
final class Shapes {

	static final String CORE = "http://hl7.org/fhir/StructureDefinition/";

	private static final String BEST_PRACTICE = "http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice";

	private static final String MAX_VALUE_SET = "http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet";

	/** Element extensions that add rules the compiled check does not model. */
	private static final Set<String> ELEMENT_RULES = Set.of("http://hl7.org/fhir/StructureDefinition/regex",
			"http://hl7.org/fhir/StructureDefinition/minLength", "http://hl7.org/fhir/StructureDefinition/maxSize",
			"http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces",
			"http://hl7.org/fhir/StructureDefinition/elementdefinition-mustHaveValue",
			"http://hl7.org/fhir/StructureDefinition/elementdefinition-valueAlternatives");

	/** Value sets HAPI's common code systems service answers, refusing other systems. */
	private static final Set<String> ANSWERED_BY_COMMON = Set.of("http://hl7.org/fhir/ValueSet/languages",
			"http://hl7.org/fhir/ValueSet/all-languages", "http://hl7.org/fhir/ValueSet/currencies",
			"http://hl7.org/fhir/ValueSet/ucum-units", "http://hl7.org/fhir/us/core/ValueSet/us-core-usps-state");

	/**
	 * Invariants the core validator rewrites before it evaluates them (its
	 * {@code FHIRPathExpressionFixer}), as it evaluates them.
	 */
	private static final Map<String, String> REWRITES = Map.of(
			"clinicalStatus.exists() or verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() or category.select($this='problem-list-item').empty()",
			"(verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() and category.coding.exists(system='http://terminology.hl7.org/CodeSystem/condition-category' and code ='problem-list-item').empty()) implies (clinicalStatus.exists())",
			"offset.empty() or (when.exists() and ((when in ('C' | 'CM' | 'CD' | 'CV')).not()))",
			"offset.empty() or (when.exists() and when.select($this in ('C' | 'CM' | 'CD' | 'CV')).allFalse())",
			"(component.empty() and hasMember.empty()) implies (dataAbsentReason or value)",
			"(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())",
			"probability is decimal implies (probability as decimal) <= 100",
			"(probability.exists() and (probability is decimal)) implies ((probability as decimal) <= 100)");

	/** Invariants the walk checks in code, as the validator does: ele-1, ref-1, dom-3. */
	private static final Set<String> IN_CODE = Set.of("ele-1", "ref-1", "dom-3");

	private static final Optional<Shape> NONE = Optional.empty();

	private final IValidationSupport support;

	private final FHIRPathEngine parser;

	private final Map<String, Optional<Shape>> byUrl = new ConcurrentHashMap<>();

	private final Map<String, Optional<String>> typeOfProfile = new ConcurrentHashMap<>();

	Shapes(IValidationSupport support, FHIRPathEngine parser) {
		this.support = support;
		this.parser = parser;
	}

	/**
	 * The root of a StructureDefinition's compiled snapshot.
	 * @param url its canonical URL
	 * @return the root, or empty when the chain does not know it or it has no snapshot
	 */
	Optional<Shape> root(String url) {
		Optional<Shape> known = this.byUrl.get(url);
		if (known == null) {
			// Compiled outside computeIfAbsent: compiling a profile may compile others.
			known = compile(url);
			Optional<Shape> raced = this.byUrl.putIfAbsent(url, known);
			known = (raced != null) ? raced : known;
		}
		return known;
	}

	/** The root of a core type's definition ({@code Period}, {@code Observation}). */
	Optional<Shape> type(String type) {
		return root(CORE + type);
	}

	/** Whether the chain knows a StructureDefinition with this URL. */
	boolean knows(String url) {
		return definition(url) != null;
	}

	/**
	 * Whether the chain knows a ValueSet with this URL (a Coding's system must not be
	 * one).
	 */
	boolean knowsValueSet(String url) {
		return this.support.fetchValueSet(url) != null;
	}

	private StructureDefinition definition(String url) {
		return (this.support.fetchStructureDefinition(url) instanceof StructureDefinition definition) ? definition
				: null;
	}

	/** The resource type a profile constrains, or null if it is not known. */
	private String typeOfProfile(String url) {
		return this.typeOfProfile.computeIfAbsent(url, (profile) -> {
			StructureDefinition definition = definition(profile);
			return Optional.ofNullable((definition != null) ? definition.getType() : null);
		}).orElse(null);
	}

	private Optional<Shape> compile(String url) {
		StructureDefinition definition = definition(url);
		if (definition == null || !definition.hasSnapshot() || definition.getSnapshot().getElement().isEmpty()) {
			return NONE;
		}
		Map<String, Shape> byId = new LinkedHashMap<>();
		Map<String, Shape> byPath = new HashMap<>();
		Shape root = null;
		for (ElementDefinition element : definition.getSnapshot().getElement()) {
			Shape shape = shape(element);
			String id = element.getId();
			byId.put(id, shape);
			if (root == null) {
				root = shape;
				byPath.put(element.getPath(), shape);
				continue;
			}
			int dot = id.lastIndexOf('.');
			String last = id.substring(dot + 1);
			int colon = last.indexOf(':');
			if (colon >= 0) {
				// A slice: its sibling without the slice name holds the slicing.
				Shape sliced = byId.get(id.substring(0, dot + 1) + last.substring(0, colon));
				if (sliced == null) {
					return NONE;
				}
				sliced.slices.add(shape);
				continue;
			}
			Shape parent = byId.get(id.substring(0, dot));
			if (parent == null) {
				return NONE;
			}
			parent.children.put(shape.name, shape);
			if (!id.contains(":")) {
				byPath.put(element.getPath(), shape);
			}
		}
		for (Shape shape : byId.values()) {
			if (shape.contentReference != null) {
				Shape target = byPath.get(shape.contentReference.substring(shape.contentReference.indexOf('#') + 1));
				if (target == null) {
					return NONE;
				}
				shape.referenced = target;
			}
		}
		return Optional.ofNullable(root);
	}

	private Shape shape(ElementDefinition element) {
		Shape.Builder builder = new Shape.Builder();
		builder.id = element.getId();
		String path = element.getPath();
		String last = path.substring(path.lastIndexOf('.') + 1);
		builder.choice = last.endsWith("[x]");
		builder.name = builder.choice ? last.substring(0, last.length() - 3) : last;
		builder.min = element.getMin();
		builder.max = (!element.hasMax() || "*".equals(element.getMax())) ? Integer.MAX_VALUE
				: Integer.parseInt(element.getMax());
		builder.maxLength = element.hasMaxLength() ? element.getMaxLength() : 0;
		builder.fixed = element.hasFixed() ? element.getFixed() : null;
		builder.pattern = element.hasPattern() ? element.getPattern() : null;
		if ((builder.fixed != null && !Patterns.comparable(builder.fixed))
				|| (builder.pattern != null && !Patterns.comparable(builder.pattern))) {
			builder.unsupported = "a fixed value or pattern of type "
					+ ((builder.fixed != null) ? builder.fixed : builder.pattern).fhirType();
		}
		builder.contentReference = element.hasContentReference() ? element.getContentReference() : null;
		for (Extension extension : element.getExtension()) {
			if (ELEMENT_RULES.contains(extension.getUrl())) {
				builder.unsupported = "element extension " + extension.getUrl();
			}
		}
		types(element, builder);
		binding(element, builder);
		builder.invariants = invariants(element);
		if (element.hasSlicing()) {
			builder.discriminators = element.getSlicing().getDiscriminator();
			builder.closed = element.getSlicing().getRules() == ElementDefinition.SlicingRules.CLOSED;
			if (element.getSlicing().getOrdered()) {
				builder.unsupported = "ordered slicing";
			}
			for (var discriminator : builder.discriminators) {
				String type = (discriminator.getType() != null) ? discriminator.getType().toCode() : "";
				if (!type.equals("value") && !type.equals("pattern")) {
					builder.unsupported = "a " + type + " discriminator";
				}
				else if (!discriminator.getPath().matches("\\$this|[a-z][A-Za-z]*(\\.[a-z][A-Za-z]*)*")) {
					builder.unsupported = "discriminator path " + discriminator.getPath();
				}
			}
		}
		return new Shape(builder);
	}

	private void types(ElementDefinition element, Shape.Builder builder) {
		Set<String> types = new LinkedHashSet<>();
		Map<String, String> profiles = new HashMap<>();
		Set<String> targets = new LinkedHashSet<>();
		boolean anyTarget = false;
		for (TypeRefComponent type : element.getType()) {
			String code = type.getWorkingCode();
			types.add(code);
			if (type.getProfile().size() > 1) {
				builder.unsupported = "several profiles on type " + code;
			}
			else if (type.getProfile().size() == 1) {
				profiles.put(code, type.getProfile().get(0).getValue());
			}
			if (type.hasAggregation()) {
				builder.unsupported = "aggregation rules";
			}
			if (code.equals("Reference")) {
				if (!type.hasTargetProfile()) {
					anyTarget = true;
				}
				for (var target : type.getTargetProfile()) {
					String url = target.getValue();
					String resourceType = typeOfProfile(url);
					if (resourceType == null) {
						builder.unsupported = "target profile " + url;
					}
					else if (resourceType.equals("Resource")) {
						anyTarget = true;
					}
					else {
						targets.add(resourceType);
						if (!url.equals(CORE + resourceType)) {
							// A contained target is then validated against that profile.
							builder.profiledTargets = true;
						}
					}
				}
			}
		}
		builder.types = Set.copyOf(types);
		builder.typeProfiles = Map.copyOf(profiles);
		builder.targetTypes = anyTarget ? Set.of() : Set.copyOf(targets);
	}

	private void binding(ElementDefinition element, Shape.Builder builder) {
		if (!element.hasBinding()) {
			return;
		}
		ElementDefinitionBindingComponent binding = element.getBinding();
		BindingStrength strength = binding.getStrength();
		String valueSet = binding.hasValueSet() ? unversioned(binding.getValueSet()) : null;
		if (valueSet != null && this.support.fetchValueSet(valueSet) == null
				&& this.support.fetchCodeSystem(valueSet) != null) {
			// The validator refuses any value of an element bound to a code system's URL.
			builder.unsupported = "a binding to the code system " + valueSet;
		}
		if (valueSet != null && (strength == BindingStrength.REQUIRED
				|| (strength != BindingStrength.EXAMPLE && ANSWERED_BY_COMMON.contains(valueSet)))) {
			builder.valueSet = valueSet;
		}
		Extension max = binding.getExtensionByUrl(MAX_VALUE_SET);
		if (max != null && max.getValue() != null && strength == BindingStrength.EXTENSIBLE) {
			builder.maxValueSet = unversioned(max.getValue().primitiveValue());
		}
		for (Extension extension : binding.getExtension()) {
			if (extension.getUrl().contains("additional")) {
				builder.unsupported = "binding extension " + extension.getUrl();
			}
		}
	}

	private List<Shape.Invariant> invariants(ElementDefinition element) {
		List<Shape.Invariant> invariants = new ArrayList<>();
		for (ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
			if (constraint.getSeverity() != ConstraintSeverity.ERROR || IN_CODE.contains(constraint.getKey())
					|| !constraint.hasExpression()) {
				continue;
			}
			Extension bestPractice = constraint.getExtensionByUrl(BEST_PRACTICE);
			if (bestPractice != null && "true".equals(bestPractice.getValue().primitiveValue())) {
				continue;
			}
			String expression = REWRITES.getOrDefault(constraint.getExpression(), constraint.getExpression());
			Shape.Invariant invariant;
			try {
				invariant = new Shape.Invariant(constraint.getKey(), expression, this.parser.parse(expression));
			}
			catch (RuntimeException ex) {
				invariant = new Shape.Invariant(constraint.getKey(), expression, null);
			}
			invariants.add(invariant);
		}
		return invariants.isEmpty() ? List.of() : List.copyOf(invariants);
	}

	private static String unversioned(String canonical) {
		int bar = canonical.indexOf('|');
		return (bar < 0) ? canonical : canonical.substring(0, bar);
	}

}
