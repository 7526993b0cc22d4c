package health.crosswalk.results;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.dao.ISearchBuilder;
import ca.uhn.fhir.jpa.search.ISynchronousSearchSvc;
import ca.uhn.fhir.jpa.search.builder.SearchBuilder;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.SearchContainedModeEnum;
import ca.uhn.fhir.rest.api.SearchIncludeDeletedEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.NumberParam;
import ca.uhn.fhir.rest.param.QuantityParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.TokenParamModifier;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import health.crosswalk.database.ReadRoute;
import health.crosswalk.storage.Delegation;

/**
 * HAPI's synchronous search service, answering a count-only search
 * ({@code _summary=count}) from the {@link ResultCache} when nothing it counts has been
 * written since it last ran, and giving a search's page of results the ids it was last
 * given ({@link KeptPages}) on the same terms.
 *
 * <p>
 * Only searches whose answer depends on the rows of the one partition and type they read
 * are kept: the parameters' own values (tokens, strings, dates, numbers, quantities,
 * URIs, references by id or identifier, {@code :missing}, {@code _id},
 * {@code _lastUpdated}), never a chain, {@code _has}, a token modifier that asks the
 * terminology ({@code :in}, {@code :not-in}, {@code :above}, {@code :below}), a
 * composite, {@code _tag}, {@code _security}, {@code _profile}, {@code _source} or any
 * other special parameter, contained resources or {@code $everything}; a page only when
 * sorted by its own parameters (not a chain). The key is HAPI's normalized query string
 * of the search as HAPI runs it (after every pre-search hook; for a page with its sort,
 * offset and count, and the most results HAPI reads), with the partition and type. A
 * reference is keyed as written, before HAPI finds its row: an id names one row for good
 * (ids are the server's and never reused), and what refers to it changes only by a write
 * of the type searched. A search routed to a read replica is neither kept nor answered
 * from memory: the replica may be behind the writes the generations follow. Every other
 * call goes to HAPI's service.
 */
final class KeptSearches implements InvocationHandler {

	private static final Method EXECUTE = method();

	/** A reference's own qualifiers: a target type, or its identifier. */
	private static final Pattern OWN_REFERENCE_QUALIFIER = Pattern.compile(":([A-Z][A-Za-z]+|identifier)");

	/** A sort by one parameter, not a chain. */
	private static final Pattern OWN_SORT = Pattern.compile("_?[A-Za-z][A-Za-z0-9-]*");

	/** Parameters starting with an underscore that read the resource's own rows. */
	private static final Set<String> OWN_SPECIAL_PARAMETERS = Set.of("_id", "_lastUpdated");

	/** Token modifiers that match against the terminology, not the resource alone. */
	private static final Set<TokenParamModifier> TERMINOLOGY_MODIFIERS = Set.of(TokenParamModifier.IN,
			TokenParamModifier.NOT_IN, TokenParamModifier.ABOVE, TokenParamModifier.BELOW);

	private final ISynchronousSearchSvc searches;

	private final ResultCache cache;

	private KeptSearches(ISynchronousSearchSvc searches, ResultCache cache) {
		this.searches = searches;
		this.cache = cache;
	}

	/**
	 * HAPI's service with counts and pages answered from memory.
	 * @param searches HAPI's service bean
	 * @param cache the kept results
	 * @return a service that answers every method as HAPI's does, but kept results
	 */
	static ISynchronousSearchSvc wrap(ISynchronousSearchSvc searches, ResultCache cache) {
		return (ISynchronousSearchSvc) Proxy.newProxyInstance(KeptSearches.class.getClassLoader(),
				new Class<?>[] { ISynchronousSearchSvc.class }, new KeptSearches(searches, cache));
	}

	static boolean isWrapped(Object searches) {
		return Proxy.isProxyClass(searches.getClass()) && Proxy.getInvocationHandler(searches) instanceof KeptSearches;
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		// Nothing is kept while not listening (size 0, the command line, a lost
		// session): no key is then worth building.
		if (EXECUTE.equals(method) && this.cache.isListening() && args[0] instanceof SearchParameterMap search
				&& args[3] instanceof SearchBuilder builder && !ReadRoute.onReplica()) {
			RequestPartitionId partition = (RequestPartitionId) args[5];
			ResultCache.Key count = key(builder.getResourceName(), partition, search);
			if (count != null) {
				return count(count, method, args);
			}
			ResultCache.Key page = pageKey(builder.getResourceName(), partition, search, (Integer) args[4]);
			if (page != null) {
				return page(page, builder, method, args);
			}
		}
		return delegate(method, args);
	}

	private Object page(ResultCache.Key key, SearchBuilder builder, Method method, Object[] args) throws Throwable {
		KeptPages pages = KeptPages.of(builder, this.cache, key);
		Object[] kept = args.clone();
		kept[3] = pages.builder();
		Object result = delegate(method, kept);
		pages.completed();
		return result;
	}

	private Object count(ResultCache.Key key, Method method, Object[] args) throws Throwable {
		ResultCache.Stamp stamp = this.cache.stamp(key);
		if (stamp == null) {
			return delegate(method, args);
		}
		Integer kept = this.cache.get(key, stamp);
		if (kept != null) {
			// What HAPI's service answers a count-only search with.
			return new SimpleBundleProvider().setSize(kept);
		}
		Object result = delegate(method, args);
		if (result instanceof IBundleProvider provider && provider.size() != null) {
			this.cache.put(key, stamp, provider.size());
		}
		return result;
	}

	private Object delegate(Method method, Object[] args) throws Throwable {
		return Delegation.invoke(this.searches, method, args);
	}

	/**
	 * The key of a count whose answer depends on its partition's rows of its type alone.
	 * @param resourceType the type counted
	 * @param partition the partitions read
	 * @param search the search as HAPI runs it
	 * @return the key, or null if the search is not a count that may be kept
	 */
	static ResultCache.Key key(String resourceType, RequestPartitionId partition, SearchParameterMap search) {
		return (search.isWantOnlyCount() && readsOwnRows(resourceType, partition, search)) ? new ResultCache.Key(
				partition.getFirstPartitionIdOrNull(), resourceType, search.toNormalizedQueryString()) : null;
	}

	/**
	 * The key of a page of results whose ids depend on its partition's rows of its type
	 * alone: the search's parameters, sort, offset and count, and the most results HAPI
	 * reads.
	 * @param resourceType the type searched
	 * @param partition the partitions read
	 * @param search the search as HAPI runs it
	 * @param loadUpTo the most results HAPI's service reads, or null
	 * @return the key, or null if the page may not be kept
	 */
	static ResultCache.Key pageKey(String resourceType, RequestPartitionId partition, SearchParameterMap search,
			Integer loadUpTo) {
		if (search.isWantOnlyCount() || !readsOwnRows(resourceType, partition, search)) {
			return null;
		}
		for (SortSpec sort = search.getSort(); sort != null; sort = sort.getChain()) {
			String name = sort.getParamName();
			if (name == null || !OWN_SORT.matcher(name).matches()
					|| (name.startsWith("_") && !OWN_SPECIAL_PARAMETERS.contains(name))) {
				return null;
			}
		}
		return new ResultCache.Key(partition.getFirstPartitionIdOrNull(), resourceType,
				search.toNormalizedQueryString() + "#" + loadUpTo + "#" + search.getLoadSynchronousUpTo());
	}

	private static boolean readsOwnRows(String resourceType, RequestPartitionId partition, SearchParameterMap search) {
		if (resourceType == null || partition == null || partition.isAllPartitions()
				|| partition.getPartitionIds() == null || partition.getPartitionIds().size() != 1
				|| partition.getFirstPartitionIdOrNull() == null || search.getEverythingMode() != null
				|| search.getNearDistanceParam() != null || search.isLastN() || search.isDeleteExpunge()
				|| (search.getSearchContainedMode() != null
						&& search.getSearchContainedMode() != SearchContainedModeEnum.FALSE)
				|| (search.getSearchIncludeDeletedMode() != null
						&& search.getSearchIncludeDeletedMode() != SearchIncludeDeletedEnum.NEVER)) {
			return false;
		}
		for (Map.Entry<String, List<List<IQueryParameterType>>> parameter : search.entrySet()) {
			String name = parameter.getKey();
			if (name.startsWith("_") && !OWN_SPECIAL_PARAMETERS.contains(name)) {
				return false;
			}
			for (List<IQueryParameterType> or : parameter.getValue()) {
				for (IQueryParameterType value : or) {
					if (!readsOwnRows(value)) {
						return false;
					}
				}
			}
		}
		return true;
	}

	private static boolean readsOwnRows(IQueryParameterType value) {
		if (value instanceof ReferenceParam reference) {
			String qualifier = reference.getQueryParameterQualifier();
			return (reference.getChain() == null || reference.getChain().isEmpty()) && !reference.isMdmExpand()
					&& (qualifier == null || qualifier.isEmpty() || reference.getMissing() != null
							|| OWN_REFERENCE_QUALIFIER.matcher(qualifier).matches());
		}
		if (value instanceof TokenParam token) {
			return token.getModifier() == null || !TERMINOLOGY_MODIFIERS.contains(token.getModifier());
		}
		return value instanceof StringParam || value instanceof DateParam || value instanceof NumberParam
				|| value instanceof QuantityParam || value instanceof UriParam;
	}

	private static Method method() {
		try {
			return ISynchronousSearchSvc.class.getMethod("executeQuery", SearchParameterMap.class, RequestDetails.class,
					String.class, ISearchBuilder.class, Integer.class, RequestPartitionId.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("HAPI's synchronous search service has no executeQuery(...) of the shape "
					+ "this was written for: update health.crosswalk.results.KeptSearches for this HAPI version.", ex);
		}
	}

}
