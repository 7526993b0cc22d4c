package health.crosswalk.storage;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProvider;
import ca.uhn.fhir.jpa.search.cache.SearchCacheStatusEnum;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The total of a search registered without {@code _total=accurate} is answered without
 * HAPI's coordinator, which would read the search back to find it has none; every other
 * question goes to HAPI's.
 */
class SearchTotalsTest {

	private final List<String> hapiCalls = new ArrayList<>();

	private IBundleProvider registered;

	@SuppressWarnings("unchecked")
	private final ISearchCoordinatorSvc<?> hapi = (ISearchCoordinatorSvc<?>) Proxy.newProxyInstance(
			getClass().getClassLoader(), new Class<?>[] { ISearchCoordinatorSvc.class }, (proxy, method, args) -> {
				this.hapiCalls
					.add(method.getName() + ((args != null && args[0] instanceof String uuid) ? " " + uuid : ""));
				return switch (method.getName()) {
					case "registerSearch" -> this.registered;
					case "getSearchTotal" -> {
						if ("failing".equals(args[0])) {
							throw new InternalErrorException("search failed");
						}
						yield Optional.of(7);
					}
					case "getResources" -> List.of();
					default -> null;
				};
			});

	private final ISearchCoordinatorSvc<?> coordinator = SearchTotals.wrap(this.hapi);

	@Test
	void aSearchThatAskedForNoAccurateTotalIsAnsweredWithoutHapi() {
		register("first", new SearchParameterMap());
		register("estimated", totalMode(SearchTotalModeEnum.ESTIMATED));
		register("none", totalMode(SearchTotalModeEnum.NONE));
		this.hapiCalls.clear();

		assertThat(total("first")).isEmpty();
		assertThat(total("estimated")).isEmpty();
		assertThat(total("none")).isEmpty();
		assertThat(this.hapiCalls).isEmpty();
		assertThat(total("registered-elsewhere")).contains(7);
		assertThat(this.hapiCalls).containsExactly("getSearchTotal registered-elsewhere");
	}

	@Test
	void aSearchThatAskedForAnAccurateTotalIsHapis() {
		register("accurate", totalMode(SearchTotalModeEnum.ACCURATE));

		assertThat(total("accurate")).contains(7);
		assertThat(this.hapiCalls).containsExactly("registerSearch", "getSearchTotal accurate");
	}

	@Test
	void anEarlierSearchReusedFromHapisCacheAndASynchronousOneAreHapis() throws ReflectiveOperationException {
		PersistedJpaBundleProvider reused = new PersistedJpaBundleProvider(null, "reused");
		Method status = PersistedJpaBundleProvider.class.getDeclaredMethod("setCacheStatus",
				SearchCacheStatusEnum.class);
		status.setAccessible(true);
		status.invoke(reused, SearchCacheStatusEnum.HIT);
		PersistedJpaBundleProvider fresh = new PersistedJpaBundleProvider(null, "fresh");
		SearchParameterMap search = new SearchParameterMap();

		assertThat(SearchTotals.uncounted(reused, search)).isFalse();
		assertThat(SearchTotals.uncounted(fresh, search)).isTrue();
		assertThat(SearchTotals.uncounted(new SimpleBundleProvider(List.of(), "synchronous"), search))
			.as("a synchronous search, which holds all its results")
			.isFalse();

		this.registered = new SimpleBundleProvider(List.of(), "synchronous");
		this.coordinator.registerSearch(null, search, "Patient", null, null);
		assertThat(total("synchronous")).contains(7);
		assertThat(this.hapiCalls).containsExactly("registerSearch", "getSearchTotal synchronous");
	}

	@Test
	void everyOtherMethodAndHapisFailuresPassThrough() {
		assertThat(this.coordinator.getResources("some", 0, 10, null, RequestPartitionId.allPartitions())).isEmpty();
		this.coordinator.cancelAllActiveSearches();
		assertThatExceptionOfType(InternalErrorException.class).isThrownBy(() -> total("failing"))
			.withMessage("search failed");

		assertThat(this.hapiCalls).containsExactly("getResources some", "cancelAllActiveSearches",
				"getSearchTotal failing");
		assertThat(SearchTotals.isWrapped(this.coordinator)).isTrue();
		assertThat(SearchTotals.isWrapped(this.hapi)).isFalse();
		assertThat(SearchTotals.unwrap(this.coordinator)).isSameAs(this.hapi);
	}

	private void register(String uuid, SearchParameterMap search) {
		PersistedJpaBundleProvider provider = new PersistedJpaBundleProvider(null, uuid);
		this.registered = provider;
		assertThat(this.coordinator.registerSearch(null, search, "Patient", null, null)).isSameAs(provider);
	}

	private static SearchParameterMap totalMode(SearchTotalModeEnum mode) {
		SearchParameterMap search = new SearchParameterMap();
		search.setSearchTotalMode(mode);
		return search;
	}

	private Optional<Integer> total(String uuid) {
		return this.coordinator.getSearchTotal(uuid, null, RequestPartitionId.allPartitions());
	}

}
