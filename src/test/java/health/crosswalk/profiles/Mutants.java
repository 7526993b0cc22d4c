package health.crosswalk.profiles;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.util.IModelVisitor2;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.hl7.fhir.r4.model.UriType;

/**
 * Resources broken on purpose, for the differential test of validation: a deterministic
 * function of a valid-looking resource and a seed that removes elements (so required ones
 * go missing), puts values of the wrong form into primitives, points references at types
 * they may not target, gives references a type (their own, another, or none at all),
 * codes with unknown codes or code systems, and adds a modifier extension no one defined.
 * Each mutant carries one or two such changes at places chosen by the seed, so a corpus
 * of mutants covers every kind of element the originals hold.
 */
final class Mutants {

	/** The kinds of change, for tests that each is reachable. */
	enum Kind {

		REMOVE, BAD_PRIMITIVE, WRONG_REFERENCE_TYPE, REFERENCE_TYPE, UNKNOWN_CODE, UNKNOWN_SYSTEM, UNKNOWN_MODIFIER

	}

	private final FhirContext fhir;

	Mutants(FhirContext fhir) {
		this.fhir = fhir;
	}

	/** One change applied to a copy: what was changed, and where. */
	record Mutant(IBaseResource resource, List<String> changes) {
	}

	/**
	 * A mutant of the resource; the original is not changed.
	 * @param original the resource to break
	 * @param seed chooses the places and kinds of change
	 * @return the mutant
	 */
	Mutant of(IBaseResource original, long seed) {
		IBaseResource copy = this.fhir.newTerser().clone(original);
		Random random = new Random(seed);
		List<String> changes = new ArrayList<>();
		int wanted = 1 + random.nextInt(2);
		for (int attempt = 0; changes.size() < wanted && attempt < 20; attempt++) {
			List<Place> places = places(copy);
			if (places.isEmpty()) {
				break;
			}
			Place place = places.get(random.nextInt(places.size()));
			Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
			String change = apply(kind, place, random);
			if (change != null) {
				changes.add(kind + " " + place.path() + ": " + change);
			}
		}
		return new Mutant(copy, changes);
	}

	private String apply(Kind kind, Place place, Random random) {
		IBase element = place.element();
		switch (kind) {
			case REMOVE:
				return remove(place) ? "removed" : null;
			case BAD_PRIMITIVE:
				return (element instanceof IPrimitiveType<?> primitive) ? corrupt(primitive, random) : null;
			case WRONG_REFERENCE_TYPE:
				if (element instanceof Reference reference && reference.hasReference()) {
					reference.setReference(random.nextBoolean() ? "Basic/cw-mutant" : "not a reference");
					return reference.getReference();
				}
				return null;
			case REFERENCE_TYPE:
				if (element instanceof Reference reference && reference.hasReference()) {
					// Often the reference's own type (valid), else one it may or may not
					// target, one that is no type, or a canonical URL.
					String own = reference.getReferenceElement().hasResourceType()
							? reference.getReferenceElement().getResourceType() : "Patient";
					String[] types = { own, own, own, "Patient", "Practitioner", "Basic", "NoSuchType",
							"http://hl7.org/fhir/StructureDefinition/Patient" };
					reference.setType(types[random.nextInt(types.length)]);
					return "type " + reference.getType();
				}
				return null;
			case UNKNOWN_CODE:
				if (element instanceof Coding coding && coding.hasSystem()) {
					coding.setCode("cw-no-such-code");
					return coding.getSystem() + "|cw-no-such-code";
				}
				return null;
			case UNKNOWN_SYSTEM:
				if (element instanceof Coding coding) {
					coding.setSystem("http://example.org/cw-unknown-system");
					return coding.getSystem();
				}
				return null;
			case UNKNOWN_MODIFIER:
				if (element instanceof DomainResource resource) {
					resource.addModifierExtension()
						.setUrl("http://example.org/cw-unknown-modifier")
						.setValue(new StringType("x"));
					return "modifierExtension";
				}
				if (element instanceof BackboneElement backbone) {
					backbone.addModifierExtension()
						.setUrl("http://example.org/cw-unknown-modifier")
						.setValue(new StringType("x"));
					return "modifierExtension";
				}
				return null;
			default:
				throw new IllegalArgumentException(kind.name());
		}
	}

	private static String corrupt(IPrimitiveType<?> primitive, Random random) {
		String value;
		if (primitive instanceof BooleanType || primitive instanceof Enumeration<?>) {
			// HAPI's model cannot hold a wrong boolean or an unknown enumerated code.
			return null;
		}
		else if (primitive instanceof PositiveIntType || primitive instanceof UnsignedIntType) {
			value = "-3";
		}
		else if (primitive instanceof IdType) {
			value = "not an id!";
		}
		else if (primitive instanceof CodeType) {
			value = random.nextBoolean() ? " padded code " : "two  spaces";
		}
		else if (primitive instanceof UriType) {
			value = random.nextBoolean() ? "not a uri" : "urn:oid:1..2";
		}
		else {
			value = random.nextBoolean() ? "2020-13-45" : "\u0001control";
		}
		String original = primitive.getValueAsString();
		try {
			primitive.setValueAsString(value);
		}
		catch (DataFormatException | IllegalArgumentException ex) {
			// A date or number type refuses the form outright: not a state HAPI's parser
			// can produce. The refused set leaves the text half-changed; put it back.
			primitive.setValueAsString(original);
			return null;
		}
		return "'" + value + "'";
	}

	private static boolean remove(Place place) {
		BaseRuntimeChildDefinition child = place.child();
		if (child == null) {
			return false;
		}
		List<IBase> values = child.getAccessor().getValues(place.parent());
		for (int i = 0; i < values.size(); i++) {
			if (values.get(i) == place.element()) {
				if (child.getMax() == 1) {
					child.getMutator().setValue(place.parent(), null);
				}
				else {
					child.getMutator().remove(place.parent(), i);
				}
				return true;
			}
		}
		return false;
	}

	private List<Place> places(IBaseResource resource) {
		List<Place> places = new ArrayList<>();
		Map<IBase, Boolean> seen = new IdentityHashMap<>();
		places.add(new Place(null, null, resource, resource.fhirType()));
		this.fhir.newTerser().visit(resource, new IModelVisitor2() {

			@Override
			public boolean acceptElement(IBase element, List<IBase> path, List<BaseRuntimeChildDefinition> children,
					List<BaseRuntimeElementDefinition<?>> definitions) {
				if (path.size() >= 2 && !children.isEmpty() && seen.put(element, Boolean.TRUE) == null) {
					IBase parent = path.get(path.size() - 2);
					BaseRuntimeChildDefinition child = children.get(children.size() - 1);
					if (child != null && !(element instanceof IBaseResource)) {
						places.add(new Place(parent, child, element, resource.fhirType() + "." + name(children)));
					}
				}
				return true;
			}

		});
		return places;
	}

	private static String name(List<BaseRuntimeChildDefinition> children) {
		StringBuilder name = new StringBuilder();
		for (BaseRuntimeChildDefinition child : children) {
			if (child != null) {
				name.append((name.length() == 0) ? "" : ".").append(child.getElementName());
			}
		}
		return name.toString();
	}

	private record Place(IBase parent, BaseRuntimeChildDefinition child, IBase element, String path) {
	}

}
