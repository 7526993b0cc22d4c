package health.crosswalk.results;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.rest.api.Constants;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write's scopes go to the other servers in its transaction, just before it commits,
 * and make this server's counts stale once it has committed, never before and never when
 * it rolls back.
 */
class ResultWritesTest {

	private static final ResultCache.Key OBSERVATIONS = new ResultCache.Key(7, "Observation", "?code=a");

	private final ResultCache cache = new ResultCache(100);

	private final List<String> sent = new ArrayList<>();

	private final ResultWrites writes = new ResultWrites(this.cache, this.sent::add);

	/** A count kept, and a write's transaction begun. */
	@BeforeEach
	void begin() {
		this.cache.listening(true);
		this.cache.put(OBSERVATIONS, this.cache.stamp(OBSERVATIONS), 3);
		TransactionSynchronizationManager.initSynchronization();
	}

	@AfterEach
	void clear() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void aWriteNotifiesBeforeItsCommitAndMakesCountsStaleAfterIt() {
		this.writes.created(in(7, new Observation()));
		this.writes.updated(in(7, new Observation()), in(7, new Observation()));
		this.writes.created(in(7, new Patient()));
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();

		synchronizations.forEach((sync) -> sync.beforeCommit(false));
		assertThat(this.sent).singleElement().asString().endsWith("|7:Observation,7:Patient");
		assertThat(kept()).as("before the commit").isEqualTo(3);

		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.forEach((sync) -> sync.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
		assertThat(kept()).as("after the commit").isNull();

		// The notification comes back to this server, which has counted the write.
		this.cache.put(OBSERVATIONS, this.cache.stamp(OBSERVATIONS), 4);
		this.cache.notified(this.sent);
		assertThat(kept()).as("after its own notification").isEqualTo(4);
	}

	@Test
	void aRolledBackWriteChangesNothing() {
		this.writes.deleted(in(7, new Observation()));
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.forEach((sync) -> sync.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
		assertThat(this.sent).isEmpty();
		assertThat(kept()).isEqualTo(3);
	}

	@Test
	void aResourceWithoutAKnownPartitionMakesEveryCountStale() {
		assertThat(ResultWrites.scope(in(7, new Observation()))).isEqualTo("7:Observation");
		assertThat(ResultWrites.scope(new Observation())).isEqualTo(ResultCache.EVERYTHING);
		Observation defaultPartition = new Observation();
		defaultPartition.setUserData(Constants.RESOURCE_PARTITION_ID, RequestPartitionId.defaultPartition());
		assertThat(ResultWrites.scope(defaultPartition)).isEqualTo(ResultCache.EVERYTHING);
	}

	private Integer kept() {
		return this.cache.get(OBSERVATIONS, this.cache.stamp(OBSERVATIONS));
	}

	private static IBaseResource in(int partitionId, org.hl7.fhir.r4.model.Resource resource) {
		resource.setUserData(Constants.RESOURCE_PARTITION_ID, RequestPartitionId.fromPartitionId(partitionId));
		return resource;
	}

}
