package health.crosswalk.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.AggregationMode;
import org.hl7.fhir.r4.model.ElementDefinition.ConstraintSeverity;
import org.hl7.fhir.r4.model.ElementDefinition.DiscriminatorType;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionSlicingComponent;
import org.hl7.fhir.r4.model.ElementDefinition.SlicingRules;
import org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;
import org.hl7.fhir.r4.model.Type;

/**
 * A small fluent writer of differential StructureDefinitions: elements are named by their
 * element id ({@code AuditEvent.agent:client.type}), so a slice and what lies under it
 * read as in FSH ({@code agent[client].type}).
 *
 * <p>
 * The differential is written as a tree: every element follows its parent, parts before
 * slices, siblings in the order first named. Parts must therefore be named in the order
 * of the base definition; the snapshot step checks that every element was applied.
 */
final class Differential {

	private final StructureDefinition definition;

	private final Map<String, Element> elements = new LinkedHashMap<>();

	private Differential(StructureDefinition definition) {
		this.definition = definition;
	}

	/**
	 * Starts the transcription of a profile.
	 * @param profile which
	 * @param description what it is for, in our words
	 * @return the writer
	 */
	static Differential of(IheProfile profile, String description) {
		Differential differential = of(profile.id(), profile.type(), profile.baseDefinition(),
				"Crosswalk transcription of " + profile.transcribes(),
				"Transcribes " + profile.transcribes() + ". " + description);
		differential.definition.setVersion(profile.spec().version());
		return differential;
	}

	/**
	 * Starts a profile of our own under {@link IheProfile#BASE}.
	 * @param id its id
	 * @param type the resource type constrained
	 * @param baseDefinition the URL of the StructureDefinition constrained
	 * @param title its title
	 * @param description what it is for
	 * @return the writer
	 */
	static Differential of(String id, String type, String baseDefinition, String title, String description) {
		StructureDefinition definition = new StructureDefinition();
		definition.setId(id);
		definition.setUrl(IheProfile.BASE + "StructureDefinition/" + id);
		definition.setName(name(id));
		definition.setTitle(title);
		definition.setStatus(PublicationStatus.ACTIVE);
		definition.setExperimental(false);
		definition.setPublisher("Crosswalk");
		definition.setDescription(description);
		definition.setFhirVersion(FHIRVersion._4_0_1);
		definition.setKind(StructureDefinitionKind.RESOURCE);
		definition.setAbstract(false);
		definition.setType(type);
		definition.setBaseDefinition(baseDefinition);
		definition.setDerivation(TypeDerivationRule.CONSTRAINT);
		Differential differential = new Differential(definition);
		differential.at(type);
		return differential;
	}

	/**
	 * The element of this id, added to the differential when first named.
	 * @param id the element id, slices as {@code path:sliceName}
	 * @return the element
	 */
	Element at(String id) {
		return this.elements.computeIfAbsent(id, Element::new);
	}

	/**
	 * Slices an element by the value of one of its parts, open, unordered.
	 * @param id the element sliced
	 * @param path the discriminator path ({@code $this}, {@code type}, {@code url}...)
	 * @return the sliced element
	 */
	Element slicedByValue(String id, String path) {
		return at(id).slicing(DiscriminatorType.VALUE, path, SlicingRules.OPEN);
	}

	/**
	 * The StructureDefinition written so far.
	 * @return it, with its differential
	 */
	StructureDefinition build() {
		StructureDefinition built = this.definition.copy();
		Node root = new Node();
		Map<String, Node> nodes = new HashMap<>();
		for (Element element : this.elements.values()) {
			node(element.definition.getId(), root, nodes).element = element;
		}
		root.write(built.getDifferential().getElement());
		return built;
	}

	/**
	 * The node of an element id in the tree of ids, and of its parent, made when missing:
	 * {@code a.b:s.c} is a child of the slice {@code a.b:s}, itself a slice of
	 * {@code a.b}.
	 */
	private static Node node(String id, Node root, Map<String, Node> nodes) {
		Node existing = nodes.get(id);
		if (existing != null) {
			return existing;
		}
		Node node = new Node();
		int dot = id.lastIndexOf('.');
		String last = id.substring(dot + 1);
		if (last.indexOf(':') >= 0) {
			node(id.substring(0, dot + 1 + last.indexOf(':')), root, nodes).slices.add(node);
		}
		else {
			((dot < 0) ? root : node(id.substring(0, dot), root, nodes)).children.add(node);
		}
		nodes.put(id, node);
		return node;
	}

	private static String name(String id) {
		StringBuilder name = new StringBuilder("Crosswalk");
		for (String word : id.split("-")) {
			name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
		}
		return name.toString();
	}

	/**
	 * A coding, as patterns and fixed values name them.
	 * @param system its system
	 * @param code its code
	 * @return the coding
	 */
	static Coding coding(String system, String code) {
		return new Coding(system, code, null);
	}

	/**
	 * A concept of one coding.
	 * @param system its system
	 * @param code its code
	 * @return the concept
	 */
	static CodeableConcept concept(String system, String code) {
		return new CodeableConcept(coding(system, code));
	}

	/**
	 * An element id with the ids under it: the ids of its parts, in the order first
	 * named, then its slices. Written depth first, this is the order a differential must
	 * have, provided parts are named in their base's order.
	 */
	private static final class Node {

		private final List<Node> children = new ArrayList<>();

		private final List<Node> slices = new ArrayList<>();

		private Element element;

		void write(List<ElementDefinition> differential) {
			if (this.element != null) {
				differential.add(this.element.definition.copy());
			}
			for (Node child : this.children) {
				child.write(differential);
			}
			for (Node slice : this.slices) {
				slice.write(differential);
			}
		}

	}

	/**
	 * One element of the differential.
	 */
	static final class Element {

		private final ElementDefinition definition = new ElementDefinition();

		private Element(String id) {
			this.definition.setId(id);
			StringBuilder path = new StringBuilder();
			for (String part : id.split("\\.")) {
				int colon = part.indexOf(':');
				path.append((path.length() > 0) ? "." : "").append((colon < 0) ? part : part.substring(0, colon));
			}
			this.definition.setPath(path.toString());
			String last = id.substring(id.lastIndexOf('.') + 1);
			if (last.indexOf(':') >= 0) {
				this.definition.setSliceName(last.substring(last.indexOf(':') + 1));
			}
		}

		Element min(int min) {
			this.definition.setMin(min);
			return this;
		}

		Element max(String max) {
			this.definition.setMax(max);
			return this;
		}

		Element card(int min, String max) {
			return min(min).max(max);
		}

		/** {@code 0..0}: the element must not appear. */
		Element prohibited() {
			return card(0, "0");
		}

		/** {@code 1..1}. */
		Element exactlyOne() {
			return card(1, "1");
		}

		Element pattern(Type value) {
			this.definition.setPattern(value);
			return this;
		}

		Element pattern(String code) {
			return pattern(new CodeType(code));
		}

		Element pattern(boolean value) {
			return pattern(new BooleanType(value));
		}

		Element fixed(Type value) {
			this.definition.setFixed(value);
			return this;
		}

		Element fixed(String value) {
			return fixed(new StringType(value));
		}

		/**
		 * Binds the element to a value set, required strength.
		 * @param valueSet the value set's canonical URL
		 * @return this
		 */
		Element required(String valueSet) {
			this.definition.getBinding().setStrength(BindingStrength.REQUIRED).setValueSet(valueSet);
			return this;
		}

		/**
		 * Restricts the element to one type, optionally to profiles of it.
		 * @param code the type
		 * @param profiles canonical URLs of profiles the value must conform to
		 * @return this
		 */
		Element only(String code, String... profiles) {
			TypeRefComponent type = this.definition.addType().setCode(code);
			for (String profile : profiles) {
				type.addProfile(profile);
			}
			return this;
		}

		/**
		 * Restricts a Reference element to targets of these resource types.
		 * @param aggregation how the target may be held, or {@code null} for any
		 * @param types resource types
		 * @return this
		 */
		Element reference(AggregationMode aggregation, String... types) {
			TypeRefComponent type = this.definition.addType().setCode("Reference");
			for (String target : types) {
				type.addTargetProfile("http://hl7.org/fhir/StructureDefinition/" + target);
			}
			if (aggregation != null) {
				type.addAggregation(aggregation);
			}
			return this;
		}

		/**
		 * An invariant, severity error.
		 * @param key its key
		 * @param human what it requires, in our words
		 * @param expression the FHIRPath expression
		 * @return this
		 */
		Element constraint(String key, String human, String expression) {
			this.definition.addConstraint()
				.setKey(key)
				.setSeverity(ConstraintSeverity.ERROR)
				.setHuman(human)
				.setExpression(expression);
			return this;
		}

		Element condition(String key) {
			this.definition.addCondition(key);
			return this;
		}

		Element mustSupport() {
			this.definition.setMustSupport(true);
			return this;
		}

		Element shortly(String text) {
			this.definition.setShort(text);
			return this;
		}

		Element slicing(DiscriminatorType type, String path, SlicingRules rules) {
			ElementDefinitionSlicingComponent slicing = this.definition.getSlicing();
			slicing.addDiscriminator().setType(type).setPath(path);
			slicing.setRules(rules).setOrdered(false);
			return this;
		}

	}

}
