package health.crosswalk.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work a storage hook queues for the end of the write's transaction: done on its
 * connection just before it commits, after every deferred PRECOMMIT hook of a bundle, and
 * never when it rolls back; and, if asked, once it has committed or its commit's outcome
 * is unknown (a connection lost while committing). Outside a transaction the work is done
 * at once.
 */
public final class BeforeCommit {

	private BeforeCommit() {
	}

	/**
	 * Queues items for the current transaction.
	 * @param owner who queues them; each owner's items are flushed together, in order
	 * @param items the items
	 * @param flush what to do with all of an owner's items just before the commit
	 * @param <T> the item type
	 */
	public static <T> void add(Object owner, Collection<? extends T> items, Consumer<List<T>> flush) {
		add(owner, items, flush, null);
	}

	/**
	 * Queues items for the current transaction, and for the moment after it commits.
	 * @param owner who queues them; each owner's items are flushed together, in order
	 * @param items the items
	 * @param flush what to do with all of an owner's items just before the commit
	 * @param committed what to do with them once the transaction has committed, or its
	 * commit's outcome is unknown (never when it rolls back), or null
	 * @param <T> the item type
	 */
	public static <T> void add(Object owner, Collection<? extends T> items, Consumer<List<T>> flush,
			Consumer<List<T>> committed) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			List<T> copy = List.copyOf(items);
			flush.accept(copy);
			if (committed != null) {
				committed.accept(copy);
			}
			return;
		}
		// Found through the transaction's resources (a map), not by scanning its
		// synchronizations: Spring sorts those on every lookup, and a bundle registers
		// one per resource.
		Key key = new Key(owner);
		@SuppressWarnings("unchecked")
		Queue<T> queue = (Queue<T>) TransactionSynchronizationManager.getResource(key);
		if (queue == null) {
			queue = new Queue<>(key, flush, committed);
			TransactionSynchronizationManager.bindResource(key, queue);
			TransactionSynchronizationManager.registerSynchronization(queue);
		}
		queue.items.addAll(items);
	}

	private record Key(Object owner) {

	}

	private static final class Queue<T> implements TransactionSynchronization {

		private final Key key;

		private final Consumer<List<T>> flush;

		private final Consumer<List<T>> committed;

		private final List<T> items = new ArrayList<>();

		Queue(Key key, Consumer<List<T>> flush, Consumer<List<T>> committed) {
			this.key = key;
			this.flush = flush;
			this.committed = committed;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			this.flush.accept(this.items);
		}

		// A transaction started inside this one (REQUIRES_NEW) suspends it: its items
		// must not land in this queue.
		@Override
		public void suspend() {
			TransactionSynchronizationManager.unbindResourceIfPossible(this.key);
		}

		@Override
		public void resume() {
			TransactionSynchronizationManager.bindResource(this.key, this);
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(this.key);
			if (status != STATUS_ROLLED_BACK && this.committed != null) {
				this.committed.accept(this.items);
			}
		}

	}

}
