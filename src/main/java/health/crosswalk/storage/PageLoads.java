package health.crosswalk.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ca.uhn.fhir.jpa.dao.data.IResourceHistoryTableDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.springframework.transaction.support.TransactionOperations;

/**
 * HAPI's query that loads a page of search results, run with one parameter per row number
 * instead of one list parameter, so that Hibernate keeps its plan.
 *
 * <p>
 * Why: every search loads its page's resources with one HQL query over the page's row
 * numbers
 * ({@code IResourceHistoryTableDao.findCurrentVersionsByResourcePidsAndFetchResourceTable},
 * 12–19 % of a search's CPU samples in the benchmark). HAPI pads the list to one of a few
 * lengths so that PostgreSQL sees few statements, but Hibernate 6.6 keeps no plan for a
 * query with a list parameter and translates it to SQL again on every search (5–7 % of a
 * search's samples). The same query with a parameter per position is one HQL text per
 * padded length, whose plan Hibernate keeps. It selects the same rows: {@code IN} over
 * the same values, in the caller's transaction (or a read-only one, as the repository's
 * own method would open).
 *
 * <p>
 * This wraps HAPI's repository bean; every other method goes to it unchanged. The server
 * refuses to start if HAPI's query is no longer the one this replaces (an upgrade that
 * changes it is then seen, not run past).
 */
final class PageLoads implements InvocationHandler {

	/**
	 * HAPI 8.8's query, which {@link #query(int)} repeats with a parameter per position.
	 */
	static final String HAPI_QUERY = "SELECT v FROM ResourceHistoryTable v JOIN FETCH v.myResourceTable t "
			+ "WHERE t.myPid IN (:pids) AND t.myVersion = v.myResourceVersion";

	private static final Method LOAD = load();

	private final IResourceHistoryTableDao repository;

	private final Supplier<EntityManager> entityManager;

	private final Supplier<TransactionOperations> readOnly;

	private final Map<Integer, String> queries = new ConcurrentHashMap<>();

	private PageLoads(IResourceHistoryTableDao repository, Supplier<EntityManager> entityManager,
			Supplier<TransactionOperations> readOnly) {
		this.repository = repository;
		this.entityManager = entityManager;
		this.readOnly = readOnly;
	}

	/**
	 * HAPI's repository with the page query replaced.
	 * @param repository HAPI's repository bean
	 * @param entityManager the shared entity manager
	 * @param readOnly a read-only transaction that joins the caller's
	 * @return a repository that answers every method as HAPI's does
	 * @throws IllegalStateException if HAPI's page query is not the one replaced here
	 */
	static IResourceHistoryTableDao wrap(IResourceHistoryTableDao repository, Supplier<EntityManager> entityManager,
			Supplier<TransactionOperations> readOnly) {
		checkHapiQuery(LOAD);
		return (IResourceHistoryTableDao) Proxy.newProxyInstance(PageLoads.class.getClassLoader(),
				repository.getClass().getInterfaces(), new PageLoads(repository, entityManager, readOnly));
	}

	static boolean isWrapped(Object repository) {
		return Proxy.isProxyClass(repository.getClass()) && Proxy.getInvocationHandler(repository) instanceof PageLoads;
	}

	static void checkHapiQuery(Method method) {
		HapiQueries.check(method, HAPI_QUERY, "a page of search results", PageLoads.class);
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		if (LOAD.equals(method)) {
			@SuppressWarnings("unchecked")
			List<JpaPid> pids = (List<JpaPid>) args[0];
			if (!pids.isEmpty()) {
				return this.readOnly.get().execute((status) -> load(pids));
			}
		}
		return Delegation.invoke(this.repository, method, args);
	}

	private List<ResourceHistoryTable> load(List<JpaPid> pids) {
		TypedQuery<ResourceHistoryTable> query = this.entityManager.get()
			.createQuery(this.queries.computeIfAbsent(pids.size(), PageLoads::query), ResourceHistoryTable.class);
		for (int i = 0; i < pids.size(); i++) {
			query.setParameter("p" + i, pids.get(i));
		}
		return query.getResultList();
	}

	/**
	 * HAPI's query with {@code count} parameters {@code :p0, :p1, ...} in place of its
	 * list; one row is compared with {@code =}: Hibernate takes a lone parameter in
	 * {@code IN (...)} for one that may be bound to a list, and keeps no plan for that
	 * either.
	 */
	static String query(int count) {
		if (count == 1) {
			return HAPI_QUERY.replace("IN (:pids)", "= :p0");
		}
		String parameters = IntStream.range(0, count).mapToObj((i) -> ":p" + i).collect(Collectors.joining(", "));
		return HAPI_QUERY.replace(":pids", parameters);
	}

	private static Method load() {
		try {
			return IResourceHistoryTableDao.class.getMethod("findCurrentVersionsByResourcePidsAndFetchResourceTable",
					List.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(
					"HAPI's repository has no findCurrentVersionsByResourcePidsAndFetchResourceTable"
							+ "(List): update health.crosswalk.storage.PageLoads for this HAPI version.",
					ex);
		}
	}

}
