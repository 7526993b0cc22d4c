package health.crosswalk.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.jpa.dao.index.IdHelperService;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.jpa.model.cross.JpaResourceLookup;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.PartitionablePartitionId;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.util.MemoryCacheService;
import ca.uhn.fhir.jpa.util.MemoryCacheService.CacheEnum;
import ca.uhn.fhir.jpa.util.MemoryCacheService.ForcedIdCacheKey;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * HAPI's identity service, with the identity of a resource read by id, when it is not in
 * the identity cache, looked up in the query that loads the resource and its current
 * version.
 *
 * <p>
 * Why: a read by id first resolves the resource's type and id to its row, then loads the
 * row with its current version ({@link CurrentVersionReads}). When the identity is not
 * cached, HAPI resolves it with a JPA criteria query, which Hibernate 6.6 builds and
 * translates again each time (it keeps no plan for criteria), in a nested transaction
 * call: 9.4 % of a read by id's samples in benchmark run AD, where reads reached
 * resources whose identities had expired, of which 2 % ran the query. Here one query by
 * partition, type and id loads the resource and its current version; when HAPI then asks
 * the identity cache, the cache counts its miss and answers with the lookup found here
 * ({@link IdCache}), and the row HAPI then asks for is answered from this transaction
 * without a second query.
 *
 * <p>
 * It answers as HAPI would: the lookup is the one HAPI's query would have made from the
 * same row (row number, type, id, deletion time, partition), under HAPI's key for the
 * request's partition, and HAPI then takes it from the cache as it takes any cached
 * identity, deleted or not; the cache's hits and misses count as they would have. Only a
 * single-id resolution that may use the cache, for one partition that is not the default,
 * inside a read-only transaction (a read by id or by version, {@link ReadOnlyReads}) is
 * looked up here: such a transaction cannot have written the row it finds, so the lookup
 * may be cached before it commits, as HAPI caches one after. Anything else, and a
 * resource this query does not find (none, or no row for its current version), is left to
 * HAPI's own resolution.
 */
class IdentityReads extends IdHelperService {

	static final String QUERY = "SELECT v FROM ResourceHistoryTable v JOIN FETCH v.myResourceTable t "
			+ "WHERE t.myPartitionIdValue = :partitionId AND t.myResourceType = :type AND t.myFhirId = :id "
			+ "AND t.myVersion = v.myResourceVersion";

	/** The key of this transaction's loaded resources and their identities' lookups. */
	private static final Object LOADED = new Object();

	@Autowired
	private MemoryCacheService caches;

	@Autowired
	private JpaStorageSettings storageSettings;

	@Autowired
	private PartitionSettings partitionSettings;

	@PersistenceContext
	private EntityManager entityManager;

	@Autowired
	private ImplicitReads implicitReads;

	@Override
	public IResourceLookup<JpaPid> resolveResourceIdentity(RequestPartitionId partition, String type, String id,
			ResolveIdentityMode mode) {
		if (mode != null && mode.isUseCache(this.storageSettings.isDeleteEnabled()) && type != null && id != null
				&& TransactionSynchronizationManager.isCurrentTransactionReadOnly()
				&& TransactionSynchronizationManager.isSynchronizationActive()) {
			RequestPartitionId replaced = replaceDefault(partition);
			Integer partitionId = onlyPartition(replaced, this.partitionSettings.getDefaultPartitionId());
			if (partitionId != null && this.caches instanceof IdCache identities) {
				ForcedIdCacheKey key = new ForcedIdCacheKey(type, id, replaced);
				if (!identities.holds(CacheEnum.RESOURCE_LOOKUP_BY_FORCED_ID, key)) {
					load(partitionId, type, id, key);
				}
			}
		}
		return super.resolveResourceIdentity(partition, type, id, mode);
	}

	private void load(int partitionId, String type, String id, ForcedIdCacheKey key) {
		List<ResourceHistoryTable> found = this.implicitReads.run(this.entityManager,
				() -> this.entityManager.createQuery(QUERY, ResourceHistoryTable.class)
					.setParameter("partitionId", partitionId)
					.setParameter("type", type)
					.setParameter("id", id)
					.getResultList());
		if (found.size() != 1) {
			return;
		}
		ResourceHistoryTable version = found.get(0);
		ResourceTable resource = version.getResourceTable();
		if (resource.getCurrentVersionEntity() == null && resource.getVersion() == version.getVersion()) {
			resource.setCurrentVersionEntity(version);
		}
		keep(resource, partitionId, key);
	}

	/**
	 * The lookup HAPI's own query makes of a resource's row.
	 * @param resource the row
	 * @param partitionId its partition
	 * @return its row number, type, id, deletion time and partition
	 */
	static IResourceLookup<JpaPid> lookup(ResourceTable resource, int partitionId) {
		JpaPid pid = JpaPid.fromId(resource.getId().getId(), partitionId);
		return new JpaResourceLookup(resource.getResourceType(), resource.getFhirId(), pid, resource.getDeleted(),
				PartitionablePartitionId.with(partitionId, null));
	}

	/**
	 * The one partition a resolution looks in, if it looks in exactly one that is not the
	 * default partition.
	 * @param partition the request's partitions, HAPI's default replaced
	 * @param defaultPartitionId the default partition's id (null if none)
	 * @return that partition's id, or null
	 */
	static Integer onlyPartition(RequestPartitionId partition, Integer defaultPartitionId) {
		if (partition == null || partition.isAllPartitions() || partition.getPartitionIds().size() != 1) {
			return null;
		}
		Integer only = partition.getPartitionIds().get(0);
		return (only == null || only.equals(defaultPartitionId)) ? null : only;
	}

	/**
	 * Keeps a resource loaded here, and its identity's lookup, until its transaction
	 * ends, for {@link #loaded(int, long)} and {@link #lookedUp(Object)}.
	 * @param resource the resource, holding its current version
	 * @param partitionId its partition
	 * @param key HAPI's key of its identity in the request's partition, under which the
	 * lookup HAPI's query would have made of the resource is kept
	 */
	static void keep(ResourceTable resource, int partitionId, ForcedIdCacheKey key) {
		Loaded loaded = (Loaded) TransactionSynchronizationManager.getResource(LOADED);
		if (loaded == null) {
			loaded = new Loaded(new HashMap<>(), new HashMap<>());
			TransactionSynchronizationManager.bindResource(LOADED, loaded);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(LOADED);
				}
			});
		}
		loaded.rows().put(new Key(partitionId, resource.getId().getId()), resource);
		loaded.lookups().put(key, List.of(lookup(resource, partitionId)));
	}

	/**
	 * A resource this transaction loaded here, with its current version.
	 * @param partitionId its partition
	 * @param pid its row number
	 * @return the resource, or null if this transaction loaded none such here
	 */
	static ResourceTable loaded(int partitionId, long pid) {
		Object loaded = TransactionSynchronizationManager.getResource(LOADED);
		return (loaded instanceof Loaded kept) ? kept.rows().get(new Key(partitionId, pid)) : null;
	}

	/**
	 * The lookups of an identity this transaction found here with its resource: what the
	 * identity cache answers, once it has counted a miss, in place of HAPI's query.
	 * @param key HAPI's key of the identity
	 * @return the lookups, or null if this transaction found none such here
	 */
	static List<IResourceLookup<JpaPid>> lookedUp(Object key) {
		Object loaded = TransactionSynchronizationManager.getResource(LOADED);
		return (loaded instanceof Loaded kept) ? kept.lookups().get(key) : null;
	}

	private record Loaded(Map<Key, ResourceTable> rows, Map<Object, List<IResourceLookup<JpaPid>>> lookups) {
	}

	private record Key(int partitionId, long pid) {
	}

}
