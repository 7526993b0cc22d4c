package health.crosswalk.storage;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.uhn.fhir.jpa.dao.data.IResourceHistoryTableDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * HAPI's page query is replaced by the same query with a parameter per position; every
 * other repository method is HAPI's; a HAPI whose query differs is refused.
 */
class PageLoadsTest {

	private final List<String> repositoryCalls = new ArrayList<>();

	private final List<String> queries = new ArrayList<>();

	private final Map<String, Object> parameters = new LinkedHashMap<>();

	private final ResourceHistoryTable loaded = new ResourceHistoryTable();

	private final IResourceHistoryTableDao hapi = (IResourceHistoryTableDao) Proxy.newProxyInstance(
			getClass().getClassLoader(), new Class<?>[] { IResourceHistoryTableDao.class }, (proxy, method, args) -> {
				this.repositoryCalls.add(method.getName());
				return method.getName().equals("findById") ? Optional.empty() : List.of();
			});

	private final EntityManager entityManager = (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { EntityManager.class }, (proxy, method, args) -> {
				if (method.getName().equals("createQuery") && args[0] instanceof String text) {
					this.queries.add(text);
					return RecordingQueries.recording(this.parameters, () -> List.of(this.loaded));
				}
				throw new UnsupportedOperationException(method.getName());
			});

	private final IResourceHistoryTableDao pages = PageLoads.wrap(this.hapi, () -> this.entityManager,
			TransactionOperations::withoutTransaction);

	@Test
	void aPageIsLoadedWithAParameterPerPosition() {
		List<JpaPid> pids = List.of(JpaPid.fromId(11L, 3), JpaPid.fromId(12L, 3), JpaPid.fromId(-1L));

		List<ResourceHistoryTable> found = this.pages.findCurrentVersionsByResourcePidsAndFetchResourceTable(pids);

		assertThat(found).containsExactly(this.loaded);
		assertThat(this.queries).containsExactly("SELECT v FROM ResourceHistoryTable v JOIN FETCH v.myResourceTable t "
				+ "WHERE t.myPid IN (:p0, :p1, :p2) AND t.myVersion = v.myResourceVersion");
		assertThat(this.parameters).containsExactly(Map.entry("p0", pids.get(0)), Map.entry("p1", pids.get(1)),
				Map.entry("p2", pids.get(2)));
		assertThat(this.repositoryCalls).isEmpty();
		assertThat(PageLoads.isWrapped(this.pages)).isTrue();
		assertThat(PageLoads.isWrapped(this.hapi)).isFalse();
	}

	@Test
	void aPageOfOneComparesItsRow() {
		this.pages.findCurrentVersionsByResourcePidsAndFetchResourceTable(List.of(JpaPid.fromId(11L, 3)));

		assertThat(this.queries).containsExactly("SELECT v FROM ResourceHistoryTable v JOIN FETCH v.myResourceTable t "
				+ "WHERE t.myPid = :p0 AND t.myVersion = v.myResourceVersion");
	}

	@Test
	void everyOtherMethodAndAnEmptyPageAreHapis() {
		assertThat(this.pages.findById(null)).isEmpty();
		assertThat(this.pages.findCurrentVersionsByResourcePidsAndFetchResourceTable(List.of())).isEmpty();
		assertThat(this.repositoryCalls).containsExactly("findById",
				"findCurrentVersionsByResourcePidsAndFetchResourceTable");
		assertThat(this.queries).isEmpty();
	}

	@Test
	void aHapiWhoseQueryDiffersIsRefused() throws NoSuchMethodException {
		Method other = Changed.class.getMethod("findCurrentVersionsByResourcePidsAndFetchResourceTable", List.class);
		assertThatIllegalStateException().isThrownBy(() -> PageLoads.checkHapiQuery(other))
			.withMessageContaining("Update PageLoads");
	}

	interface Changed {

		@Query("SELECT v FROM ResourceHistoryTable v WHERE v.myResourcePid IN (:pids)")
		List<ResourceHistoryTable> findCurrentVersionsByResourcePidsAndFetchResourceTable(List<JpaPid> pids);

	}

}
