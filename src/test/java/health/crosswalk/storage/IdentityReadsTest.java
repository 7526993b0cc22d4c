package health.crosswalk.storage;

import java.util.Date;
import java.util.List;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.util.MemoryCacheService.ForcedIdCacheKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An identity is looked up with its resource only for one partition that is not the
 * default; the lookup put into the cache is the one HAPI's query makes of the same row; a
 * resource loaded that way is found by its partition and row until its transaction ends,
 * and by nothing else.
 */
class IdentityReadsTest {

	@BeforeEach
	void inATransaction() {
		TransactionSynchronizationManager.initSynchronization();
	}

	@AfterEach
	void noTransaction() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void onlyOnePartitionThatIsNotTheDefaultIsLookedUpWithItsResource() {
		assertThat(IdentityReads.onlyPartition(RequestPartitionId.fromPartitionId(7), 0)).isEqualTo(7);
		assertThat(IdentityReads.onlyPartition(RequestPartitionId.fromPartitionId(7), null)).isEqualTo(7);
		assertThat(IdentityReads.onlyPartition(RequestPartitionId.fromPartitionId(0), 0)).isNull();
		assertThat(IdentityReads.onlyPartition(RequestPartitionId.fromPartitionIds(7, 8), 0)).isNull();
		assertThat(IdentityReads.onlyPartition(RequestPartitionId.allPartitions(), 0)).isNull();
		assertThat(IdentityReads.onlyPartition(RequestPartitionId.defaultPartition(), null)).isNull();
		assertThat(IdentityReads.onlyPartition(null, 0)).isNull();
	}

	@Test
	void theLookupIsTheOneHapisQueryMakesOfTheRow() {
		Date deleted = new Date(1_700_000_000_000L);
		ResourceTable row = row(42L, "Observation", "obs-1");
		row.setDeleted(deleted);

		IResourceLookup<JpaPid> lookup = IdentityReads.lookup(row, 7);

		assertThat(lookup.getResourceType()).isEqualTo("Observation");
		assertThat(lookup.getFhirId()).isEqualTo("obs-1");
		assertThat(lookup.getDeleted()).isEqualTo(deleted);
		assertThat(lookup.getPersistentId().getId()).isEqualTo(42L);
		assertThat(lookup.getPersistentId().getPartitionId()).isEqualTo(7);
		assertThat(lookup.getPersistentId()).isNotSameAs(row.getId());
		assertThat(lookup.getPartitionId().getPartitionId()).isEqualTo(7);
		assertThat(IdentityReads.lookup(row(43L, "Patient", "p"), 7).getDeleted()).isNull();
	}

	@Test
	void aLoadedResourceIsFoundByItsPartitionAndRowUntilItsTransactionEnds() {
		ResourceTable row = row(42L, "Observation", "obs-1");
		assertThat(IdentityReads.loaded(7, 42L)).isNull();

		IdentityReads.keep(row, 7, key("Observation", "obs-1", 7));
		IdentityReads.keep(row(43L, "Patient", "p"), 7, key("Patient", "p", 7));

		assertThat(IdentityReads.loaded(7, 42L)).isSameAs(row);
		assertThat(IdentityReads.loaded(8, 42L)).isNull();
		assertThat(IdentityReads.loaded(7, 44L)).isNull();
		assertThat(IdentityReads.lookedUp(key("Observation", "obs-1", 7))).singleElement()
			.satisfies((lookup) -> assertThat(lookup.getPersistentId().getId()).isEqualTo(42L))
			.satisfies((lookup) -> assertThat(lookup.getResourceType()).isEqualTo("Observation"));
		assertThat(IdentityReads.lookedUp(key("Patient", "p", 7))).singleElement()
			.satisfies((lookup) -> assertThat(lookup.getPersistentId().getId()).isEqualTo(43L));
		assertThat(IdentityReads.lookedUp(key("Observation", "obs-1", 8))).isNull();
		assertThat(IdentityReads.lookedUp(key("Observation", "obs-2", 7))).isNull();
		List<TransactionSynchronization> atTheEnd = TransactionSynchronizationManager.getSynchronizations();
		assertThat(atTheEnd).hasSize(1);
		atTheEnd.forEach((each) -> each.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
		assertThat(IdentityReads.loaded(7, 42L)).isNull();
		assertThat(IdentityReads.lookedUp(key("Observation", "obs-1", 7))).isNull();
	}

	private static ForcedIdCacheKey key(String type, String id, int partition) {
		return new ForcedIdCacheKey(type, id, RequestPartitionId.fromPartitionId(partition));
	}

	private static ResourceTable row(long pid, String type, String id) {
		ResourceTable row = new ResourceTable();
		row.setIdForUnitTest(pid);
		row.setResourceType(type);
		row.setFhirId(id);
		return row;
	}

}
