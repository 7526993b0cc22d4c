package health.crosswalk.storage;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The before-commit queue, driven through Spring's synchronization the way a transaction
 * manager drives it.
 */
class BeforeCommitTest {

	private final Object owner = new Object();

	private final List<List<String>> flushed = new ArrayList<>();

	@AfterEach
	void clear() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void outsideATransactionTheItemsAreFlushedAtOnce() {
		BeforeCommit.add(this.owner, List.of("a"), this.flushed::add);
		assertThat(this.flushed).containsExactly(List.of("a"));
	}

	@Test
	void anOwnersItemsAreFlushedTogetherBeforeCommitAndTheQueueIsGoneAfterIt() {
		TransactionSynchronizationManager.initSynchronization();
		BeforeCommit.add(this.owner, List.of("a"), this.flushed::add);
		BeforeCommit.add(this.owner, List.of("b", "c"), this.flushed::add);
		assertThat(this.flushed).isEmpty();

		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		assertThat(synchronizations).hasSize(1);
		commit(synchronizations);
		assertThat(this.flushed).containsExactly(List.of("a", "b", "c"));

		// The next transaction on this thread starts a new queue.
		TransactionSynchronizationManager.initSynchronization();
		BeforeCommit.add(this.owner, List.of("d"), this.flushed::add);
		commit(TransactionSynchronizationManager.getSynchronizations());
		assertThat(this.flushed).containsExactly(List.of("a", "b", "c"), List.of("d"));
	}

	@Test
	void aTransactionStartedInsideAnotherKeepsItsOwnQueue() {
		TransactionSynchronizationManager.initSynchronization();
		BeforeCommit.add(this.owner, List.of("outer"), this.flushed::add);
		// What Spring does for REQUIRES_NEW: suspend, run the inner transaction, resume.
		List<TransactionSynchronization> outer = TransactionSynchronizationManager.getSynchronizations();
		outer.forEach(TransactionSynchronization::suspend);
		TransactionSynchronizationManager.clearSynchronization();
		TransactionSynchronizationManager.initSynchronization();
		BeforeCommit.add(this.owner, List.of("inner"), this.flushed::add);
		commit(TransactionSynchronizationManager.getSynchronizations());
		assertThat(this.flushed).containsExactly(List.of("inner"));

		TransactionSynchronizationManager.initSynchronization();
		outer.forEach(TransactionSynchronizationManager::registerSynchronization);
		outer.forEach(TransactionSynchronization::resume);
		BeforeCommit.add(this.owner, List.of("outer again"), this.flushed::add);
		commit(TransactionSynchronizationManager.getSynchronizations());
		assertThat(this.flushed).containsExactly(List.of("inner"), List.of("outer", "outer again"));
	}

	@Test
	void aRollbackFlushesNothing() {
		TransactionSynchronizationManager.initSynchronization();
		BeforeCommit.add(this.owner, List.of("a"), this.flushed::add);
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.forEach((sync) -> sync.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
		assertThat(this.flushed).isEmpty();
		assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
	}

	@Test
	void whatFollowsTheCommitIsDoneUnlessTheTransactionRolledBack() {
		List<List<String>> after = new ArrayList<>();
		int[] outcomes = { TransactionSynchronization.STATUS_COMMITTED, TransactionSynchronization.STATUS_UNKNOWN,
				TransactionSynchronization.STATUS_ROLLED_BACK };
		for (int outcome : outcomes) {
			TransactionSynchronizationManager.initSynchronization();
			BeforeCommit.add(this.owner, List.of("status " + outcome), this.flushed::add, after::add);
			List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
			TransactionSynchronizationManager.clearSynchronization();
			synchronizations.forEach((sync) -> sync.afterCompletion(outcome));
		}
		// A commit whose outcome is unknown (a lost connection) may have committed.
		assertThat(after).containsExactly(List.of("status " + TransactionSynchronization.STATUS_COMMITTED),
				List.of("status " + TransactionSynchronization.STATUS_UNKNOWN));
		assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
	}

	private static void commit(List<TransactionSynchronization> synchronizations) {
		synchronizations.forEach((sync) -> sync.beforeCommit(false));
		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.forEach((sync) -> sync.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
		assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
	}

}
