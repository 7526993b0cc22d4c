package health.crosswalk.counts;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.rest.api.Constants;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write's scopes go to the other servers in its transaction, just before it commits,
 * and make this server's counts stale once it has committed, never before and never when
 * it rolls back.
 */
class CountWritesTest {

	private static final CountCache.Key OBSERVATIONS = new CountCache.Key(7, "Observation", "?code=a");

	private final CountCache cache = new CountCache(100);

	private final List<String> sent = new ArrayList<>();

	private final CountWrites writes = new CountWrites(this.cache, this.sent::add);

	@AfterEach
	void clear() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void aWriteNotifiesBeforeItsCommitAndMakesCountsStaleAfterIt() {
		this.cache.listening(true);
		this.cache.put(OBSERVATIONS, this.cache.stamp(OBSERVATIONS), 3);
		TransactionSynchronizationManager.initSynchronization();
		this.writes.created(in(7, new Observation()));
		this.writes.updated(in(7, new Observation()), in(7, new Observation()));
		this.writes.created(in(7, new Patient()));
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();

		synchronizations.forEach((sync) -> sync.beforeCommit(false));
		assertThat(this.sent).containsExactly("7:Observation,7:Patient");
		assertThat(this.cache.get(OBSERVATIONS, this.cache.stamp(OBSERVATIONS))).as("before the commit").isEqualTo(3);

		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.forEach((sync) -> sync.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
		assertThat(this.cache.get(OBSERVATIONS, this.cache.stamp(OBSERVATIONS))).as("after the commit").isNull();
	}

	@Test
	void aRolledBackWriteChangesNothing() {
		this.cache.listening(true);
		this.cache.put(OBSERVATIONS, this.cache.stamp(OBSERVATIONS), 3);
		TransactionSynchronizationManager.initSynchronization();
		this.writes.deleted(in(7, new Observation()));
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.forEach((sync) -> sync.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
		assertThat(this.sent).isEmpty();
		assertThat(this.cache.get(OBSERVATIONS, this.cache.stamp(OBSERVATIONS))).isEqualTo(3);
	}

	@Test
	void aResourceWithoutAKnownPartitionMakesEveryCountStale() {
		assertThat(CountWrites.scope(in(7, new Observation()))).isEqualTo("7:Observation");
		assertThat(CountWrites.scope(new Observation())).isEqualTo(CountCache.EVERYTHING);
		Observation defaultPartition = new Observation();
		defaultPartition.setUserData(Constants.RESOURCE_PARTITION_ID, RequestPartitionId.defaultPartition());
		assertThat(CountWrites.scope(defaultPartition)).isEqualTo(CountCache.EVERYTHING);
	}

	private static IBaseResource in(int partitionId, org.hl7.fhir.r4.model.Resource resource) {
		resource.setUserData(Constants.RESOURCE_PARTITION_ID, RequestPartitionId.fromPartitionId(partitionId));
		return resource;
	}

}
