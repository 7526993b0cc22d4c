package health.crosswalk.limits;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.RuntimeChildExt;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.IModelVisitor2;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseHasExtensions;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Every element of a resource that holds something, in the order and with the paths of
 * HAPI's {@code FhirTerser.visit(IBase, IModelVisitor2)}, walked with less garbage.
 *
 * <p>
 * Why: the limits walk every resource written, every entry of every bundle, and HAPI's
 * walk wraps its three paths in new read-only views and iterates them for every element,
 * and asks every primitive for its extensions, which creates an empty list on each: 2.5 %
 * of the ingest's CPU samples and 4.1 % of its allocated bytes in the benchmark.
 *
 * <p>
 * It sees what HAPI's walk sees: elements that are not empty, contained resources (twice,
 * as HAPI's walk does: as a value of {@code contained} and as a resource), a bundle's
 * entries' resources, and not the resources references hold. It walks R4's model, the one
 * Crosswalk serves; a context of another FHIR version is walked by HAPI's walk.
 */
final class ElementWalk {

	/**
	 * Told of each element seen.
	 */
	interface Visitor {

		/**
		 * @param element the element
		 * @param elements the elements from the resource to this one, both included
		 * @param children the child definitions leading from each element of
		 * {@code elements} to the next
		 */
		void see(IBase element, List<IBase> elements, List<BaseRuntimeChildDefinition> children);

	}

	private final FhirContext context;

	private final boolean r4;

	ElementWalk(FhirContext context) {
		this.context = context;
		this.r4 = context.getVersion().getVersion() == FhirVersionEnum.R4;
	}

	/**
	 * Walks a resource.
	 * @param resource the resource
	 * @param visitor told of each element
	 */
	void walk(IBaseResource resource, Visitor visitor) {
		if (this.r4) {
			new Walk(visitor).element(resource, null, this.context.getResourceDefinition(resource));
		}
		else {
			hapi(this.context.newTerser(), resource, visitor);
		}
	}

	/**
	 * The same walk through HAPI's terser.
	 * @param terser HAPI's terser
	 * @param resource the resource
	 * @param visitor told of each element
	 */
	static void hapi(FhirTerser terser, IBaseResource resource, Visitor visitor) {
		terser.visit(resource, new IModelVisitor2() {

			@Override
			public boolean acceptElement(IBase element, List<IBase> elements, List<BaseRuntimeChildDefinition> children,
					List<BaseRuntimeElementDefinition<?>> definitions) {
				visitor.see(element, elements, children);
				return true;
			}

			@Override
			public boolean acceptUndeclaredExtension(IBaseExtension<?, ?> extension, List<IBase> elements,
					List<BaseRuntimeChildDefinition> children, List<BaseRuntimeElementDefinition<?>> definitions) {
				visitor.see(extension, elements, children);
				return true;
			}

		});
	}

	private final class Walk {

		private final Visitor visitor;

		private final List<IBase> elements = new ArrayList<>();

		private final List<BaseRuntimeChildDefinition> children = new ArrayList<>();

		private final List<IBase> elementsSeen = Collections.unmodifiableList(this.elements);

		private final List<BaseRuntimeChildDefinition> childrenSeen = Collections.unmodifiableList(this.children);

		Walk(Visitor visitor) {
			this.visitor = visitor;
		}

		void element(IBase element, BaseRuntimeChildDefinition child, BaseRuntimeElementDefinition<?> definition) {
			if (child != null) {
				this.children.add(child);
			}
			this.elements.add(element);
			this.visitor.see(element, this.elementsSeen, this.childrenSeen);
			switch (definition.getChildType()) {
				case ID_DATATYPE, PRIMITIVE_XHTML_HL7ORG, PRIMITIVE_XHTML, PRIMITIVE_DATATYPE -> {
					// A primitive's only child is its extensions.
					if (element instanceof IBaseHasExtensions extensions && extensions.hasExtension()) {
						children(element, definition.getChildren(), definition);
					}
				}
				case RESOURCE, RESOURCE_BLOCK, COMPOSITE_DATATYPE -> children(element,
						((BaseRuntimeElementCompositeDefinition<?>) definition).getChildrenAndExtension(), definition);
				case CONTAINED_RESOURCE_LIST ->
					element(element, null, ElementWalk.this.context.getElementDefinition(element.getClass()));
				// Declared extensions of custom types, which HAPI's walk refuses too.
				default -> throw new IllegalStateException("Cannot walk a " + definition.getChildType());
			}
			if (child != null) {
				this.children.remove(this.children.size() - 1);
			}
			this.elements.remove(this.elements.size() - 1);
		}

		private void children(IBase element, List<BaseRuntimeChildDefinition> definitions,
				BaseRuntimeElementDefinition<?> definition) {
			// Indexed loops: iterators were over a quarter of what HAPI's walk allocated.
			for (int c = 0; c < definitions.size(); c++) {
				BaseRuntimeChildDefinition child = definitions.get(c);
				if (child instanceof RuntimeChildExt && element instanceof IBaseHasExtensions extensions
						&& !extensions.hasExtension()) {
					continue;
				}
				List<? extends IBase> values = child.getAccessor().getValues(element);
				if (values == null) {
					continue;
				}
				for (int v = 0; v < values.size(); v++) {
					IBase value = values.get(v);
					if (value == null || value.isEmpty()) {
						continue;
					}
					element(value, child, definition(child, value, definition));
				}
			}
		}

		private static BaseRuntimeElementDefinition<?> definition(BaseRuntimeChildDefinition child, IBase value,
				BaseRuntimeElementDefinition<?> parent) {
			Class<?> type = value.getClass();
			BaseRuntimeElementDefinition<?> found = child.getChildElementDefinitionByDatatype(value.getClass());
			while (found == null && type != null && IBase.class.isAssignableFrom(type)) {
				type = type.getSuperclass();
				if (type != null && IBase.class.isAssignableFrom(type)) {
					@SuppressWarnings("unchecked")
					Class<? extends IBase> base = (Class<? extends IBase>) type;
					found = child.getChildElementDefinitionByDatatype(base);
				}
			}
			if (found == null) {
				throw new IllegalArgumentException("Found value of type[" + value.getClass()
						+ "] which is not valid for field[" + child.getElementName() + "] in " + parent.getName());
			}
			return found;
		}

	}

}
