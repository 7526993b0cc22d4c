package health.crosswalk.server;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Gives a search's bare reference ids the type their parameter allows on the searched
 * resource type, when it allows one only: {@code Observation?patient=abc} is searched as
 * {@code patient=Patient/abc}, which is what it means (on Observation, {@code patient} is
 * {@code subject.where(resolve() is Patient)}).
 *
 * <p>
 * Why: HAPI resolves a reference parameter's id to its row through the identity cache,
 * keyed by type and id, before it searches. A bare id is looked up without a type, a key
 * HAPI never fills (it caches what it finds under the type it found), so every such
 * search cost a query for the row: 5.7–7.2 % of the CPU samples of a search by patient in
 * the benchmark, and one SQL statement of five. Typed, the lookup is answered from the
 * cache. The results are the same: ids here are unique across types (the server assigns
 * UUIDs), and a typed reference only narrows the match to the type the parameter names.
 * An id with a type, a base URL or a chain, a modifier ({@code :missing},
 * {@code :identifier}, a type), and a parameter with several target types (such as
 * {@code subject}) are left as they are.
 */
@Interceptor
final class TypedReferences {

	/** A FHIR id (R4's id datatype): anything else is not a bare id. */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

	/** A path that names the type it resolves to. */
	private static final Pattern WHERE_RESOLVE_IS = Pattern
		.compile("[A-Za-z]+(?:\\.[A-Za-z]+)+\\.where\\(resolve\\(\\) is ([A-Z][A-Za-z]+)\\)");

	/** A path of element names only. */
	private static final Pattern SIMPLE_PATH = Pattern.compile("[A-Za-z]+(?:\\.[A-Za-z]+)+");

	private final ISearchParamRegistry searchParams;

	private final FhirContext fhir;

	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	TypedReferences(ISearchParamRegistry searchParams, FhirContext fhir) {
		this.searchParams = searchParams;
		this.fhir = fhir;
	}

	@Hook(value = Pointcut.STORAGE_PRESEARCH_REGISTERED, order = Pipeline.REFERENCES)
	void searchRegistered(ICachedSearchDetails search, SearchParameterMap parameters) {
		type(search.getResourceType(), parameters);
	}

	void type(String resourceType, SearchParameterMap parameters) {
		if (resourceType == null) {
			return;
		}
		for (Map.Entry<String, List<List<IQueryParameterType>>> each : parameters.entrySet()) {
			if (hasBareId(each.getValue())) {
				String target = onlyTarget(resourceType, each.getKey());
				if (target != null) {
					each.setValue(typed(each.getValue(), target));
				}
			}
		}
	}

	/**
	 * The one type a reference parameter matches on a resource type, or null. Its path
	 * there says so ({@code Observation.subject.where(resolve() is Patient)}), or the
	 * element it names allows one type ({@code AllergyIntolerance.patient}): a
	 * parameter's declared targets span every resource type it is defined on.
	 */
	private String onlyTarget(String resourceType, String name) {
		RuntimeSearchParam param = this.searchParams.getActiveSearchParam(resourceType, name,
				ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
		if (param == null || param.getParamType() != RestSearchParameterTypeEnum.REFERENCE || param.getPath() == null) {
			return null;
		}
		// Kept per resource type and parameter the registry knows (so bounded), as long
		// as the registry hands out the same definition.
		Target known = this.targets.get(resourceType + "|" + name);
		if (known == null || known.param() != param) {
			known = new Target(param, onlyTarget(resourceType, param));
			this.targets.put(resourceType + "|" + name, known);
		}
		return known.type();
	}

	private String onlyTarget(String resourceType, RuntimeSearchParam param) {
		String target = null;
		for (String path : param.getPath().split("\\|")) {
			path = path.trim();
			if (!path.startsWith(resourceType + ".")) {
				continue;
			}
			Matcher where = WHERE_RESOLVE_IS.matcher(path);
			String type = where.matches() ? where.group(1) : elementTarget(path);
			if (type == null || (target != null && !target.equals(type))) {
				return null;
			}
			target = type;
		}
		return target;
	}

	/** The one resource type an element path's reference allows, or null. */
	private String elementTarget(String path) {
		if (!SIMPLE_PATH.matcher(path).matches()) {
			return null;
		}
		String[] names = path.split("\\.");
		BaseRuntimeElementCompositeDefinition<?> parent = this.fhir.getResourceDefinition(names[0]);
		BaseRuntimeChildDefinition child = null;
		for (int i = 1; i < names.length; i++) {
			child = (parent != null) ? parent.getChildByName(names[i]) : null;
			if (child == null) {
				return null;
			}
			parent = (child.getChildByName(names[i]) instanceof BaseRuntimeElementCompositeDefinition<?> composite)
					? composite : null;
		}
		if (child instanceof RuntimeChildResourceDefinition reference && reference.getResourceTypes().size() == 1) {
			Class<? extends IBaseResource> type = reference.getResourceTypes().get(0);
			return Modifier.isAbstract(type.getModifiers()) || type.isInterface() ? null
					: this.fhir.getResourceType(type);
		}
		return null;
	}

	private static boolean hasBareId(List<List<IQueryParameterType>> and) {
		for (List<IQueryParameterType> or : and) {
			for (IQueryParameterType value : or) {
				if (isBareId(value)) {
					return true;
				}
			}
		}
		return false;
	}

	static boolean isBareId(IQueryParameterType value) {
		return value instanceof ReferenceParam reference && reference.getMissing() == null && !reference.isMdmExpand()
				&& !reference.hasChain() && reference.getResourceType() == null && reference.getBaseUrl() == null
				&& reference.getValue() != null && ID.matcher(reference.getValue()).matches();
	}

	private static List<List<IQueryParameterType>> typed(List<List<IQueryParameterType>> and, String target) {
		List<List<IQueryParameterType>> typedAnd = new ArrayList<>(and.size());
		for (List<IQueryParameterType> or : and) {
			List<IQueryParameterType> typedOr = new ArrayList<>(or.size());
			for (IQueryParameterType value : or) {
				typedOr.add(isBareId(value) ? new ReferenceParam(target, null, ((ReferenceParam) value).getValue())
						: value);
			}
			typedAnd.add(typedOr);
		}
		return typedAnd;
	}

	/** A parameter's definition and the one type it allows, or null. */
	private record Target(RuntimeSearchParam param, String type) {
	}

}
