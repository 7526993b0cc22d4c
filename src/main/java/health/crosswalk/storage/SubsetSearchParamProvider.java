package health.crosswalk.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.registry.ISearchParamProvider;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry.SearchParamLookupContextEnum;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where HAPI's search-parameter registry reads SearchParameter definitions from: the
 * stored ones (HAPI's own provider), preceded by the overrides of the
 * {@link SearchParameterSubset}, so that a stored definition still wins over an override
 * of the same URL.
 */
final class SubsetSearchParamProvider implements ISearchParamProvider {

	private static final Logger log = LoggerFactory.getLogger(SubsetSearchParamProvider.class);

	private final ISearchParamProvider stored;

	private final SearchParameterSubset subset;

	SubsetSearchParamProvider(ISearchParamProvider stored, SearchParameterSubset subset) {
		this.stored = stored;
		this.subset = subset;
	}

	@Override
	public IBundleProvider search(SearchParameterMap params) {
		List<IBaseResource> all = new ArrayList<>(this.subset.overrides());
		all.addAll(this.stored.search(params).getAllResources());
		return new SimpleBundleProvider(all);
	}

	@Override
	public IBaseResource read(IIdType id) {
		return this.stored.read(id);
	}

	/**
	 * Puts the subset into effect before the server takes requests. HAPI's registry loads
	 * only stored definitions the first time it fills itself, and rebuilds from this
	 * provider on every later refresh; so it is refreshed until the subset shows.
	 * @throws IllegalStateException if the subset does not take effect
	 */
	static void activate(ISearchParamRegistry registry, SearchParameterSubset subset) {
		Map<String, Set<String>> dropped = subset.dropped();
		if (dropped.isEmpty()) {
			log.info("Every search parameter of FHIR R4 is indexed (crosswalk.storage.search-parameters.subset=false)");
			return;
		}
		if (!(registry instanceof SearchParamRegistryImpl refreshable)) {
			throw new IllegalStateException("The search-parameter registry is a " + registry.getClass().getName()
					+ ", not HAPI's SearchParamRegistryImpl; the search-parameter subset cannot be applied.");
		}
		for (int attempt = 0; attempt < 3 && !inEffect(registry, dropped); attempt++) {
			refreshable.forceRefresh();
		}
		if (!inEffect(registry, dropped)) {
			throw new IllegalStateException("The search-parameter subset did not take effect: HAPI still indexes "
					+ dropped + ". Set crosswalk.storage.search-parameters.subset=false to index everything.");
		}
		dropped.forEach((type, names) -> log.info("{}: not indexed (crosswalk.storage.search-parameters): {}", type,
				String.join(", ", names)));
	}

	private static boolean inEffect(ISearchParamRegistry registry, Map<String, Set<String>> dropped) {
		return dropped.entrySet()
			.stream()
			.allMatch((type) -> type.getValue()
				.stream()
				.allMatch((name) -> registry.getActiveSearchParam(type.getKey(), name,
						SearchParamLookupContextEnum.ALL) == null));
	}

}
