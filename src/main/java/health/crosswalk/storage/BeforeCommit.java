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
 * never when it rolls back. Outside a transaction the work is done at once.
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
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			flush.accept(List.copyOf(items));
			return;
		}
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof Queue<?> queue && queue.owner == owner) {
				@SuppressWarnings("unchecked")
				Queue<T> mine = (Queue<T>) queue;
				mine.items.addAll(items);
				return;
			}
		}
		Queue<T> queue = new Queue<>(owner, flush);
		queue.items.addAll(items);
		TransactionSynchronizationManager.registerSynchronization(queue);
	}

	private static final class Queue<T> implements TransactionSynchronization {

		private final Object owner;

		private final Consumer<List<T>> flush;

		private final List<T> items = new ArrayList<>();

		Queue(Object owner, Consumer<List<T>> flush) {
			this.owner = owner;
			this.flush = flush;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			this.flush.accept(this.items);
		}

	}

}
