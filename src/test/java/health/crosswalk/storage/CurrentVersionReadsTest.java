package health.crosswalk.storage;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.util.MemoryCacheService.ForcedIdCacheKey;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * HAPI's read by partition and id is answered by one query that joins the current
 * version, which the resource is then given; where that query finds no row, outside a
 * transaction, and for every other method, HAPI's repository answers; a HAPI whose query
 * differs is refused.
 */
class CurrentVersionReadsTest {

	private final List<String> repositoryCalls = new ArrayList<>();

	private final List<String> queries = new ArrayList<>();

	private final Map<String, Object> parameters = new LinkedHashMap<>();

	private final ResourceTable hapisRow = new ResourceTable();

	private final ResourceTable resource = new ResourceTable();

	private final ResourceHistoryTable version = new ResourceHistoryTable();

	private List<ResourceHistoryTable> rows = List.of(this.version);

	private final IResourceTableDao hapi = (IResourceTableDao) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { IResourceTableDao.class }, (proxy, method, args) -> {
				this.repositoryCalls.add(method.getName());
				return Optional.of(this.hapisRow);
			});

	private final EntityManager entityManager = (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { EntityManager.class }, (proxy, method, args) -> {
				if (method.getName().equals("createQuery") && args[0] instanceof String text
						&& args[1] == ResourceHistoryTable.class) {
					this.queries.add(text);
					return RecordingQueries.recording(this.parameters, () -> this.rows);
				}
				throw new UnsupportedOperationException(method.getName());
			});

	private final IResourceTableDao reads = CurrentVersionReads.wrap(this.hapi, () -> this.entityManager,
			() -> new ImplicitReads(false));

	@BeforeEach
	void inATransaction() {
		TransactionSynchronizationManager.setActualTransactionActive(true);
		this.resource.setVersionForUnitTest(3);
		this.version.setVersion(3);
		this.version.setResourceTable(this.resource);
	}

	@AfterEach
	void noTransaction() {
		TransactionSynchronizationManager.setActualTransactionActive(false);
	}

	@Test
	void aReadLoadsTheResourceWithItsCurrentVersionInOneQuery() {
		Optional<ResourceTable> found = this.reads.readByPartitionId(7, 42L);

		assertThat(found).containsSame(this.resource);
		assertThat(this.resource.getCurrentVersionEntity()).isSameAs(this.version);
		assertThat(this.queries).containsExactly("SELECT v FROM ResourceHistoryTable v JOIN FETCH v.myResourceTable t "
				+ "WHERE t.myPartitionIdValue = :partitionId AND t.myPid.myId = :pid "
				+ "AND t.myVersion = v.myResourceVersion");
		assertThat(this.parameters).containsExactly(Map.entry("partitionId", 7), Map.entry("pid", 42L));
		assertThat(this.repositoryCalls).isEmpty();
		assertThat(CurrentVersionReads.isWrapped(this.reads)).isTrue();
		assertThat(CurrentVersionReads.isWrapped(this.hapi)).isFalse();
	}

	@Test
	void aResourceLoadedWithItsIdentityInThisTransactionIsAnsweredWithoutAQuery() {
		TransactionSynchronizationManager.initSynchronization();
		try {
			this.resource.setIdForUnitTest(42L);
			this.resource.setCurrentVersionEntity(this.version);
			IdentityReads.keep(this.resource, 7,
					new ForcedIdCacheKey("Observation", "obs-1", RequestPartitionId.fromPartitionId(7)));

			assertThat(this.reads.readByPartitionId(7, 42L)).containsSame(this.resource);
			assertThat(this.queries).isEmpty();
			assertThat(this.reads.readByPartitionId(8, 42L)).containsSame(this.resource);
			assertThat(this.queries).hasSize(1);
			assertThat(this.repositoryCalls).isEmpty();
		}
		finally {
			TransactionSynchronizationManager.getSynchronizations()
				.forEach((each) -> each.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void aResourceHoldingAVersionOrAnotherInMemoryKeepsIt() {
		ResourceHistoryTable written = new ResourceHistoryTable();
		this.resource.setCurrentVersionEntity(written);
		assertThat(this.reads.readByPartitionId(7, 42L)).containsSame(this.resource);
		assertThat(this.resource.getCurrentVersionEntity()).isSameAs(written);

		this.resource.setCurrentVersionEntity(null);
		this.resource.setVersionForUnitTest(4);
		assertThat(this.reads.readByPartitionId(7, 42L)).containsSame(this.resource);
		assertThat(this.resource.getCurrentVersionEntity()).isNull();
		assertThat(this.repositoryCalls).isEmpty();
	}

	@Test
	void hapiAnswersWhereTheJoinFindsNoRowOutsideATransactionAndForEveryOtherMethod() {
		this.rows = List.of();
		assertThat(this.reads.readByPartitionId(7, 42L)).containsSame(this.hapisRow);
		this.rows = List.of(this.version);

		TransactionSynchronizationManager.setActualTransactionActive(false);
		assertThat(this.reads.readByPartitionId(7, 42L)).containsSame(this.hapisRow);
		TransactionSynchronizationManager.setActualTransactionActive(true);

		assertThat(this.reads.readByPartitionIdNull(42L)).containsSame(this.hapisRow);
		assertThat(this.repositoryCalls).containsExactly("readByPartitionId", "readByPartitionId",
				"readByPartitionIdNull");
		assertThat(this.queries).hasSize(1);
		assertThat(this.resource.getCurrentVersionEntity()).isNull();
	}

	@Test
	void aHapiWhoseQueryDiffersIsRefused() throws NoSuchMethodException {
		Method other = Changed.class.getMethod("readByPartitionId", int.class, Long.class);
		assertThatIllegalStateException().isThrownBy(() -> CurrentVersionReads.checkHapiQuery(other))
			.withMessageContaining("Update CurrentVersionReads");
	}

	interface Changed {

		@Query("SELECT t FROM ResourceTable t WHERE t.myPid.myId = :pid")
		Optional<ResourceTable> readByPartitionId(int partitionId, Long pid);

	}

}
