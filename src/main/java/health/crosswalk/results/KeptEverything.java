package health.crosswalk.results;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProvider;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.crosswalk.database.ReadRoute;
import health.crosswalk.storage.Delegation;

/**
 * HAPI's search coordinator, giving a client's {@code $everything} the search HAPI stored
 * when it last ran, while nothing in its partition has been written since.
 *
 * <p>
 * Why: HAPI never reuses a stored {@code $everything} (its cache of earlier searches
 * skips them), so each one runs the compartment's query again and stores its results
 * anew: a search row, a row per result and the row's update, before the first page is
 * read. The first run's results stay right until a write to the partition commits, and
 * its stored search outlives the minute an answer is kept: HAPI deletes one an hour after
 * it was made.
 *
 * <p>
 * A client's {@code $everything} of one hospital's partition, run as a stored search (not
 * by offset, not with {@code Cache-Control: no-cache}, not on a read replica), is kept
 * under its partition, type, mode and HAPI's normalized query (the patient, the count,
 * {@code _type}, {@code _since} and the rest) with the generation of its whole partition
 * ({@link ResultCache#ANY_TYPE}): cross-partition references are refused, so the
 * compartment and every resource it refers to are in it. A kept one is answered as HAPI
 * answers a search from its own cache: HAPI's provider over the stored search, which
 * loads each page's resources, and every hook that sees them, as before. The pre-search
 * hooks ran when the search was stored, for a caller of the same hospital: they record
 * the page links' owner (the hospital) and check the parameters, neither of which depends
 * on more than the key. Requests of the server itself are never kept. Every other call
 * goes to HAPI's coordinator.
 */
final class KeptEverything implements InvocationHandler {

	private static final Method REGISTER = method();

	private final ISearchCoordinatorSvc<?> coordinator;

	private final ResultCache cache;

	private final StoredSearches stored;

	/**
	 * What HAPI answers for a stored search, asked of it.
	 */
	interface StoredSearches {

		/**
		 * The partitions a search reads, as HAPI chooses them.
		 * @param request the request
		 * @param resourceType the type searched
		 * @param search the search
		 * @return the partitions
		 */
		RequestPartitionId partition(RequestDetails request, String resourceType, SearchParameterMap search);

		/**
		 * HAPI's provider of a stored search's results, as for a search from its cache.
		 * @param request the request
		 * @param uuid the stored search's id
		 * @return the provider
		 */
		IBundleProvider provider(RequestDetails request, String uuid);

	}

	private KeptEverything(ISearchCoordinatorSvc<?> coordinator, ResultCache cache, StoredSearches stored) {
		this.coordinator = coordinator;
		this.cache = cache;
		this.stored = stored;
	}

	/**
	 * HAPI's coordinator with {@code $everything} answered from kept stored searches.
	 * @param coordinator HAPI's coordinator bean
	 * @param cache the kept results
	 * @param stored HAPI's stored searches
	 * @return a coordinator that answers every method as HAPI's does, but kept searches
	 */
	static ISearchCoordinatorSvc<?> wrap(ISearchCoordinatorSvc<?> coordinator, ResultCache cache,
			StoredSearches stored) {
		return (ISearchCoordinatorSvc<?>) Proxy.newProxyInstance(KeptEverything.class.getClassLoader(),
				new Class<?>[] { ISearchCoordinatorSvc.class }, new KeptEverything(coordinator, cache, stored));
	}

	static boolean isWrapped(Object coordinator) {
		return Proxy.isProxyClass(coordinator.getClass())
				&& Proxy.getInvocationHandler(coordinator) instanceof KeptEverything;
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		if (REGISTER.equals(method) && this.cache.isListening() && args[1] instanceof SearchParameterMap search
				&& args[2] instanceof String resourceType && args[4] instanceof RequestDetails request
				&& mayKeep(search, (CacheControlDirective) args[3], request)) {
			// Keyed before HAPI's pre-search hooks change the search.
			ResultCache.Key key = key(resourceType, this.stored.partition(request, resourceType, search), search);
			ResultCache.Stamp stamp = (key != null) ? this.cache.stamp(key) : null;
			if (stamp != null) {
				return everything(key, stamp, request, method, args);
			}
		}
		return delegate(method, args);
	}

	private Object everything(ResultCache.Key key, ResultCache.Stamp stamp, RequestDetails request, Method method,
			Object[] args) throws Throwable {
		String uuid = this.cache.stored(key, stamp);
		if (uuid != null) {
			return this.stored.provider(request, uuid);
		}
		Object result = delegate(method, args);
		if (result instanceof PersistedJpaBundleProvider provider && provider.getUuid() != null) {
			this.cache.put(key, stamp, provider.getUuid());
		}
		return result;
	}

	/**
	 * Whether a search is a client's {@code $everything} that HAPI stores, and may be
	 * answered from memory.
	 */
	static boolean mayKeep(SearchParameterMap search, CacheControlDirective cacheControl, RequestDetails request) {
		return search.getEverythingMode() != null && !search.isLoadSynchronous() && search.getOffset() == null
				&& search.getLoadSynchronousUpTo() == null && !(request instanceof SystemRequestDetails)
				&& (cacheControl == null || (!cacheControl.isNoCache() && !cacheControl.isNoStore()))
				&& !ReadRoute.onReplica();
	}

	/**
	 * The key of an {@code $everything} of one partition.
	 * @param resourceType the type whose compartment it reads
	 * @param partition the partitions read
	 * @param search the search, before HAPI's pre-search hooks
	 * @return the key, or null if it reads more than one partition
	 */
	static ResultCache.Key key(String resourceType, RequestPartitionId partition, SearchParameterMap search) {
		if (partition == null || partition.isAllPartitions() || partition.getPartitionIds() == null
				|| partition.getPartitionIds().size() != 1 || partition.getFirstPartitionIdOrNull() == null) {
			return null;
		}
		return new ResultCache.Key(partition.getFirstPartitionIdOrNull(), ResultCache.ANY_TYPE,
				resourceType + "/$everything:" + search.getEverythingMode() + search.toNormalizedQueryString());
	}

	private Object delegate(Method method, Object[] args) throws Throwable {
		return Delegation.invoke(this.coordinator, method, args);
	}

	private static Method method() {
		try {
			return ISearchCoordinatorSvc.class.getMethod("registerSearch", IFhirResourceDao.class,
					SearchParameterMap.class, String.class, CacheControlDirective.class, RequestDetails.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("HAPI's search coordinator has no registerSearch(...) of the shape "
					+ "this was written for: update health.crosswalk.results.KeptEverything for this HAPI version.",
					ex);
		}
	}

}
