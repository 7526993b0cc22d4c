package health.crosswalk.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildDirectResource;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import org.apache.commons.lang3.StringUtils;
import org.apache.commons.lang3.Validate;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * HAPI's terser, with its two walks for a resource's references found by a leaner walk
 * that finds the same elements, in the same order, with the same paths, and a resource's
 * compartment owners found from paths worked out once per type
 * ({@link #getCompartmentOwnersForResource}).
 *
 * <p>
 * HAPI's transaction processor looks for every reference of every resource of a bundle
 * three times ({@code getAllResourceReferences}: two prefetches, then the references'
 * rewrite) and for references and URIs twice more
 * ({@code getAllPopulatedChildElementsOfType}). HAPI's walk copies the path to each
 * element into a new list, keeps every element it passes in an identity map, and asks
 * each element whether it is empty before it goes into it, which asks its whole subtree
 * again at each level. In the benchmark's ingest (run P) those walks took 6.4 % of the
 * CPU samples and, in an allocation profile, 13.8 % of what the ingest allocated. This
 * walk keeps the path in one array and makes a list of it only for a reference it
 * returns, keeps only composite elements in the map (a primitive cannot hold its own
 * ancestor), and asks only the elements it returns whether they are empty: an empty
 * element holds only empty ones, which neither walk returns, so going into it changes
 * nothing but the time.
 *
 * <p>
 * Like HAPI's, it goes into contained resources (their references belong to the outer
 * resource, under {@code contained}), and into the resource a reference holds when that
 * has no id or a local one (its references belong to it, under paths that start again),
 * but not into a resource held directly ({@code Bundle.entry.resource}), which it may
 * return itself. An element of a kind it does not know (DSTU2's contained resources)
 * makes it hand the whole resource to HAPI's walk. {@code ServerTerserTest} holds it to
 * HAPI's on hand-made resources and {@code TerserDifferentialIT} on every resource of a
 * Synthea feed.
 */
final class ServerTerser extends FhirTerser {

	private static final Pattern RESOLVED_TYPE = Pattern
		.compile("([a-zA-Z.]+)\\.where\\(resolve\\(\\) is ([a-zA-Z]+)\\)");

	private final FhirContext context;

	private final Map<String, List<CompartmentPath>> compartmentPaths;

	/**
	 * @param compartmentPaths the paths of each compartment's search parameters by
	 * compartment and resource type, kept by the context for every terser it makes
	 */
	ServerTerser(FhirContext context, Map<String, List<CompartmentPath>> compartmentPaths) {
		super(context);
		this.context = context;
		this.compartmentPaths = compartmentPaths;
	}

	/**
	 * The path of one of a compartment's search parameters, and the type its references
	 * must have, if it names one ({@code subject.where(resolve() is Patient)}).
	 */
	record CompartmentPath(String path, String type) {
	}

	/**
	 * The owners of the compartments a resource is in, as HAPI's finds them, without
	 * working out again, for each resource, which paths of its type to look at: HAPI's
	 * builds the list of search parameters and matches each path against a pattern every
	 * time, 2 to 5 % of the CPU samples of the searches whose audit record lists each
	 * resource's patient (run Q). With additional parameters it is HAPI's.
	 */
	@Override
	public List<IIdType> getCompartmentOwnersForResource(String compartment, IBaseResource source,
			Set<String> additionalParameters) {
		if (additionalParameters != null && !additionalParameters.isEmpty()) {
			return super.getCompartmentOwnersForResource(compartment, source, additionalParameters);
		}
		Validate.notBlank(compartment, "theCompartmentName must not be null or blank");
		Validate.notNull(source, "theSource must not be null");
		List<CompartmentPath> paths = this.compartmentPaths.computeIfAbsent(
				compartment + ' ' + this.context.getResourceType(source),
				(key) -> compartmentPaths(compartment, source));
		List<IIdType> owners = new ArrayList<>(2);
		Set<String> added = new HashSet<>();
		for (CompartmentPath path : paths) {
			for (IBaseReference reference : getValues(source, path.path(), IBaseReference.class)) {
				if (path.type() != null && !path.type().equals(type(reference))) {
					continue;
				}
				IIdType owner = owner(reference);
				if (owner != null && added.add(owner.getValue())) {
					owners.add(owner);
				}
			}
		}
		return owners;
	}

	private List<CompartmentPath> compartmentPaths(String compartment, IBaseResource source) {
		// As HAPI's: the compartment must name a resource type.
		this.context.getResourceType(compartment);
		List<CompartmentPath> paths = new ArrayList<>();
		for (RuntimeSearchParam parameter : this.context.getResourceDefinition(source)
			.getSearchParamsForCompartmentName(compartment)) {
			for (String path : parameter.getPathsSplit()) {
				if (StringUtils.isBlank(path)) {
					continue;
				}
				Matcher resolved = RESOLVED_TYPE.matcher(path);
				paths.add(resolved.matches() ? new CompartmentPath(resolved.group(1), resolved.group(2))
						: new CompartmentPath(path, null));
			}
		}
		return List.copyOf(paths);
	}

	/** The type a reference names, or its resource's, as HAPI tells it. */
	private String type(IBaseReference reference) {
		IIdType target = reference.getReferenceElement().toUnqualifiedVersionless();
		if (StringUtils.isNotBlank(target.getResourceType())) {
			return target.getResourceType();
		}
		if (reference.getResource() != null) {
			return this.context.getResourceType(reference.getResource());
		}
		return "No type on reference";
	}

	/** The id a reference names, or its resource's, as HAPI takes it; null if none. */
	private IIdType owner(IBaseReference reference) {
		IIdType owner = reference.getReferenceElement().toUnqualifiedVersionless();
		if (StringUtils.isBlank(owner.getValue()) && reference.getResource() != null) {
			IBaseResource target = reference.getResource();
			owner = target.getIdElement().toUnqualifiedVersionless();
			if (!owner.hasResourceType()) {
				owner.setParts(null, this.context.getResourceType(target), owner.getIdPart(), null);
			}
		}
		return StringUtils.isNotBlank(owner.getValue()) ? owner : null;
	}

	@Override
	public List<ResourceReferenceInfo> getAllResourceReferences(IBaseResource resource) {
		List<ResourceReferenceInfo> found = new ArrayList<>();
		try {
			walk(resource, (owner, element, path) -> {
				if (element instanceof IBaseReference reference && !element.isEmpty()) {
					found.add(new ResourceReferenceInfo(this.context, owner, (path != null) ? path.copy() : null,
							reference));
				}
			});
		}
		catch (Unknown ex) {
			return super.getAllResourceReferences(resource);
		}
		return found;
	}

	@Override
	public <T extends IBase> List<T> getAllPopulatedChildElementsOfType(IBaseResource resource, Class<T> type) {
		List<T> found = new ArrayList<>();
		try {
			walk(resource, (owner, element, path) -> {
				if (type.isInstance(element) && !element.isEmpty()) {
					found.add(type.cast(element));
				}
			});
		}
		catch (Unknown ex) {
			return super.getAllPopulatedChildElementsOfType(resource, type);
		}
		return found;
	}

	private void walk(IBaseResource resource, Visitor visitor) {
		new Walk(visitor).element(resource, resource, null, this.context.getResourceDefinition(resource), new Path());
	}

	/** Sees each element the walk passes, with the resource it belongs to. */
	@FunctionalInterface
	private interface Visitor {

		/**
		 * @param path the element names from the resource down to the element (copied
		 * only by a visitor that keeps them), or null for a resource itself and a
		 * resource held directly
		 */
		void see(IBaseResource owner, IBase element, Path path);

	}

	/** Thrown for an element of a kind this walk does not know. */
	private static final class Unknown extends RuntimeException {

		Unknown() {
			super(null, null, false, false);
		}

	}

	/** The element names from a resource down, in one array. */
	private static final class Path {

		private String[] names = new String[16];

		private int depth;

		void push(String name) {
			if (this.depth == this.names.length) {
				this.names = Arrays.copyOf(this.names, this.depth * 2);
			}
			this.names[this.depth++] = name;
		}

		void pop() {
			this.depth--;
		}

		List<String> copy() {
			return new ArrayList<>(Arrays.asList(Arrays.copyOf(this.names, this.depth)));
		}

	}

	private final class Walk {

		private final Visitor visitor;

		/** The composite elements on the way to the current one. */
		private final Map<IBase, Boolean> onTheWay = new IdentityHashMap<>();

		Walk(Visitor visitor) {
			this.visitor = visitor;
		}

		/**
		 * @param child the child the element is a value of, or null for a resource the
		 * walk starts at or reaches through a reference, whose path starts again
		 */
		void element(IBaseResource owner, IBase element, BaseRuntimeChildDefinition child,
				BaseRuntimeElementDefinition<?> definition, Path path) {
			BaseRuntimeElementDefinition.ChildTypeEnum kind = definition.getChildType();
			boolean primitive = switch (kind) {
				case ID_DATATYPE, PRIMITIVE_XHTML_HL7ORG, PRIMITIVE_XHTML, PRIMITIVE_DATATYPE -> true;
				case RESOURCE, RESOURCE_BLOCK, COMPOSITE_DATATYPE, CONTAINED_RESOURCE_LIST -> false;
				default -> throw new Unknown();
			};
			if (!primitive && this.onTheWay.put(element, Boolean.TRUE) != null) {
				return;
			}
			this.visitor.see(owner, element, (child != null) ? path : null);
			BaseRuntimeElementDefinition<?> own = definition;
			if (kind == BaseRuntimeElementDefinition.ChildTypeEnum.CONTAINED_RESOURCE_LIST) {
				// A contained resource, gone into as a resource of its own kind.
				own = ServerTerser.this.context.getElementDefinition(element.getClass());
				if (!(own instanceof BaseRuntimeElementCompositeDefinition<?>)) {
					throw new Unknown();
				}
			}
			if (element instanceof IBaseReference reference) {
				IBaseResource target = reference.getResource();
				if (target != null) {
					IIdType id = target.getIdElement();
					if (!id.hasIdPart() || id.isLocal()) {
						element(target, target, null, ServerTerser.this.context.getResourceDefinition(target),
								new Path());
					}
				}
			}
			if (!primitive) {
				children(owner, element, (BaseRuntimeElementCompositeDefinition<?>) own, path);
				this.onTheWay.remove(element);
			}
		}

		private void children(IBaseResource owner, IBase element, BaseRuntimeElementCompositeDefinition<?> definition,
				Path path) {
			// Indexed loops: an iterator per element was half of what the walk allocated.
			List<BaseRuntimeChildDefinition> children = definition.getChildrenAndExtension();
			for (int c = 0; c < children.size(); c++) {
				BaseRuntimeChildDefinition child = children.get(c);
				List<? extends IBase> values = child.getAccessor().getValues(element);
				if (values == null || values.isEmpty()) {
					continue;
				}
				boolean direct = child instanceof RuntimeChildDirectResource;
				if (!direct) {
					path.push(child.getElementName());
				}
				for (int v = 0; v < values.size(); v++) {
					IBase value = values.get(v);
					if (value == null) {
						continue;
					}
					if (direct) {
						// Not gone into, as HAPI's walk does not; empty, not seen at all.
						if (!value.isEmpty()) {
							this.visitor.see(owner, value, null);
						}
						continue;
					}
					BaseRuntimeElementDefinition<?> valueDefinition = child
						.getChildElementDefinitionByDatatype(value.getClass());
					if (valueDefinition == null) {
						valueDefinition = ServerTerser.this.context.getElementDefinition(value.getClass());
						Validate.notNull(valueDefinition, "Unable to find element definition for class: %s",
								value.getClass());
					}
					element(owner, value, child, valueDefinition, path);
				}
				if (!direct) {
					path.pop();
				}
			}
		}

	}

}
