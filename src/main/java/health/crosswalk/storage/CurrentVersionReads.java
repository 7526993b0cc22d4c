package health.crosswalk.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import jakarta.persistence.EntityManager;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * HAPI's query that loads a resource by id in one partition, run so that it loads the
 * resource's current version with it: a read by id then costs one statement instead of
 * two.
 *
 * <p>
 * Why: a read by id loads the resource's row
 * ({@code IResourceTableDao.readByPartitionId}, 17 % of a read's CPU samples in the
 * benchmark), then its current version's row, which holds the resource's text
 * ({@code IResourceHistoryTableDao.findForIdAndVersion}, 14 %): two queries through
 * Spring Data and Hibernate, each costing more in their machinery than in PostgreSQL.
 * This runs one query through the entity manager, the version joined to the resource on
 * the current version, as HAPI's own query for a page of search results does, and hands
 * the version to the resource as HAPI does once it has loaded it
 * ({@code ResourceTable.setCurrentVersionEntity}); HAPI's parser then reads the text from
 * it without a second query.
 *
 * <p>
 * It answers as HAPI's query would: the same resource row, found by the same partition
 * and id, in the caller's transaction and persistence context. Where its join finds no
 * row (no version row for the resource's current version), HAPI's own query answers. A
 * resource that already holds a current version (one written in this transaction), or
 * whose version in memory is not the one read, is returned without one being set, as
 * HAPI's query returns it. A resource {@link IdentityReads} loaded with its current
 * version in the same transaction, while resolving its identity, is answered without a
 * query. Outside a transaction, and for every other method, HAPI's repository answers.
 * The server refuses to start if HAPI's query is no longer the one this replaces.
 */
final class CurrentVersionReads implements InvocationHandler {

	/**
	 * HAPI 8.8's query, which {@link #QUERY} answers with the current version joined.
	 */
	static final String HAPI_QUERY = "SELECT t FROM ResourceTable t WHERE t.myPartitionIdValue = :partitionId "
			+ "AND t.myPid.myId = :pid";

	static final String QUERY = "SELECT v FROM ResourceHistoryTable v JOIN FETCH v.myResourceTable t "
			+ "WHERE t.myPartitionIdValue = :partitionId AND t.myPid.myId = :pid "
			+ "AND t.myVersion = v.myResourceVersion";

	private static final Method READ = read();

	private final IResourceTableDao repository;

	private final Supplier<EntityManager> entityManager;

	private final Supplier<ImplicitReads> implicitReads;

	private CurrentVersionReads(IResourceTableDao repository, Supplier<EntityManager> entityManager,
			Supplier<ImplicitReads> implicitReads) {
		this.repository = repository;
		this.entityManager = entityManager;
		this.implicitReads = implicitReads;
	}

	/**
	 * HAPI's repository with its read by partition and id replaced.
	 * @param repository HAPI's repository bean
	 * @param entityManager the shared entity manager
	 * @param implicitReads how a read-only transaction's first query runs
	 * @return a repository that answers every method as HAPI's does
	 * @throws IllegalStateException if HAPI's query is not the one replaced here
	 */
	static IResourceTableDao wrap(IResourceTableDao repository, Supplier<EntityManager> entityManager,
			Supplier<ImplicitReads> implicitReads) {
		checkHapiQuery(READ);
		return (IResourceTableDao) Proxy.newProxyInstance(CurrentVersionReads.class.getClassLoader(),
				repository.getClass().getInterfaces(),
				new CurrentVersionReads(repository, entityManager, implicitReads));
	}

	static boolean isWrapped(Object repository) {
		return Proxy.isProxyClass(repository.getClass())
				&& Proxy.getInvocationHandler(repository) instanceof CurrentVersionReads;
	}

	static void checkHapiQuery(Method method) {
		HapiQueries.check(method, HAPI_QUERY, "a resource by partition and id", CurrentVersionReads.class);
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		if (READ.equals(method) && args[1] != null && TransactionSynchronizationManager.isActualTransactionActive()) {
			ResourceTable loaded = IdentityReads.loaded((Integer) args[0], (Long) args[1]);
			ResourceTable resource = (loaded != null) ? loaded : withCurrentVersion((Integer) args[0], (Long) args[1]);
			if (resource != null) {
				StoredTextReads.loaded((Integer) args[0], resource);
				return Optional.of(resource);
			}
		}
		return Delegation.invoke(this.repository, method, args);
	}

	private ResourceTable withCurrentVersion(int partitionId, long pid) {
		EntityManager manager = this.entityManager.get();
		List<ResourceHistoryTable> found = this.implicitReads.get()
			.run(manager,
					() -> manager.createQuery(QUERY, ResourceHistoryTable.class)
						.setParameter("partitionId", partitionId)
						.setParameter("pid", pid)
						.getResultList());
		if (found.size() != 1) {
			return null;
		}
		ResourceHistoryTable version = found.get(0);
		ResourceTable resource = version.getResourceTable();
		if (resource.getCurrentVersionEntity() == null && resource.getVersion() == version.getVersion()) {
			resource.setCurrentVersionEntity(version);
		}
		return resource;
	}

	private static Method read() {
		try {
			return IResourceTableDao.class.getMethod("readByPartitionId", int.class, Long.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("HAPI's repository has no readByPartitionId(int, Long): update "
					+ "health.crosswalk.storage.CurrentVersionReads for this HAPI version.", ex);
		}
	}

}
