package health.crosswalk.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProvider;
import ca.uhn.fhir.jpa.search.cache.SearchCacheStatusEnum;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * HAPI's search coordinator, answering "no total" for a stored search that did not ask
 * for an accurate one without reading the search back from the database.
 *
 * <p>
 * Why: a search whose pages HAPI stores ({@code $everything}, history, a search sorted by
 * distance) stops after its first prefetch (the page asked for and one more, at least 14
 * results) without counting the rest. Building each page then asks the coordinator for
 * the search's total three or four times, and HAPI answers each time by reading the
 * search row back in a transaction of its own and deserializing its parameters, only to
 * find that no accurate total was asked for, when it answers nothing: 10 % of
 * {@code $everything}'s CPU samples in the benchmark.
 *
 * <p>
 * This wraps HAPI's coordinator bean. It remembers the id of each stored search it
 * registers that did not ask for {@code _total=accurate} (after HAPI's pre-search hooks
 * ran, in a bounded, expiring cache) and answers those with no total, as HAPI's database
 * path does. What that gives up: while the search's thread is still running on this
 * server, HAPI would hand back the count that thread may have just finished; the page
 * then has no {@code Bundle.total}, which FHIR leaves optional unless an accurate total
 * is asked for. Searches it did not register, searches asking for an accurate total,
 * searches answered from HAPI's cache of earlier searches and every other method go to
 * HAPI's coordinator.
 */
final class SearchTotals implements InvocationHandler {

	private static final Method REGISTER = method("registerSearch", IFhirResourceDao.class, SearchParameterMap.class,
			String.class, CacheControlDirective.class, RequestDetails.class);

	private static final Method TOTAL = method("getSearchTotal", String.class, RequestDetails.class,
			RequestPartitionId.class);

	/**
	 * The most searches remembered; one forgotten is asked of HAPI again.
	 */
	private static final int REMEMBERED = 10_000;

	private final ISearchCoordinatorSvc<?> coordinator;

	private final Cache<String, Boolean> uncounted = Caffeine.newBuilder()
		.maximumSize(REMEMBERED)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	private SearchTotals(ISearchCoordinatorSvc<?> coordinator) {
		this.coordinator = coordinator;
	}

	/**
	 * HAPI's coordinator with the totals of uncounted searches answered in memory.
	 * @param coordinator HAPI's coordinator bean
	 * @return a coordinator that answers every method as HAPI's does, but those
	 */
	static ISearchCoordinatorSvc<?> wrap(ISearchCoordinatorSvc<?> coordinator) {
		return (ISearchCoordinatorSvc<?>) Proxy.newProxyInstance(SearchTotals.class.getClassLoader(),
				new Class<?>[] { ISearchCoordinatorSvc.class }, new SearchTotals(coordinator));
	}

	static boolean isWrapped(Object coordinator) {
		return Proxy.isProxyClass(coordinator.getClass())
				&& Proxy.getInvocationHandler(coordinator) instanceof SearchTotals;
	}

	/**
	 * HAPI's own coordinator behind a wrapped one.
	 */
	static ISearchCoordinatorSvc<?> unwrap(ISearchCoordinatorSvc<?> coordinator) {
		return ((SearchTotals) Proxy.getInvocationHandler(coordinator)).coordinator;
	}

	/**
	 * Whether a wrapped coordinator answers a search's total from memory.
	 */
	static boolean remembers(ISearchCoordinatorSvc<?> coordinator, String uuid) {
		return ((SearchTotals) Proxy.getInvocationHandler(coordinator)).uncounted.getIfPresent(uuid) != null;
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		if (TOTAL.equals(method) && args[0] instanceof String uuid && this.uncounted.getIfPresent(uuid) != null) {
			return Optional.empty();
		}
		Object result = Delegation.invoke(this.coordinator, method, args);
		if (REGISTER.equals(method) && result instanceof IBundleProvider provider
				&& args[1] instanceof SearchParameterMap search && uncounted(provider, search)) {
			this.uncounted.put(provider.getUuid(), Boolean.TRUE);
		}
		return result;
	}

	/**
	 * Whether a search just registered is one whose total HAPI would only read back to
	 * find none: a search whose pages HAPI stores (a synchronous search holds all its
	 * results and is never asked), registered now rather than reused from HAPI's cache of
	 * earlier searches (whose parameters may differ), that did not ask for an accurate
	 * total.
	 */
	static boolean uncounted(IBundleProvider provider, SearchParameterMap search) {
		return provider instanceof PersistedJpaBundleProvider stored && stored.getUuid() != null
				&& stored.getCacheStatus() != SearchCacheStatusEnum.HIT
				&& search.getSearchTotalMode() != SearchTotalModeEnum.ACCURATE;
	}

	private static Method method(String name, Class<?>... parameters) {
		try {
			return ISearchCoordinatorSvc.class.getMethod(name, parameters);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("HAPI's search coordinator has no " + name
					+ ": update health.crosswalk.storage.SearchTotals for this HAPI version.", ex);
		}
	}

}
