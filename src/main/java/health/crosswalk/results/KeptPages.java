package health.crosswalk.results;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;

import ca.uhn.fhir.jpa.dao.IResultIterator;
import ca.uhn.fhir.jpa.dao.ISearchBuilder;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import health.crosswalk.storage.Delegation;

/**
 * One search's builder, its query's results (the ids of one page, in order) answered from
 * the {@link ResultCache} while nothing they depend on has been written since they were
 * kept, and kept when they were not.
 *
 * <p>
 * HAPI's builder still prepares each query (the builder's parameters and partition, which
 * loading the page and its includes read), but its SQL runs only when its first result is
 * asked for: a kept page closes it unread. Only the ids are kept; the resources, their
 * includes and every hook that sees them are loaded fresh. Ids are copied on the way in
 * and out, as HAPI may add to the ones it is given.
 */
final class KeptPages implements InvocationHandler {

	private final ISearchBuilder<?> builder;

	private final ResultCache cache;

	private final ResultCache.Key key;

	private ResultCache.Stamp stamp;

	private Recording recording;

	private int queries;

	private KeptPages(ISearchBuilder<?> builder, ResultCache cache, ResultCache.Key key) {
		this.builder = builder;
		this.cache = cache;
		this.key = key;
	}

	/**
	 * @param builder HAPI's builder for one search
	 * @param cache the kept pages
	 * @param key the search's page
	 * @return the builder, with its query's results kept
	 */
	static KeptPages of(ISearchBuilder<?> builder, ResultCache cache, ResultCache.Key key) {
		return new KeptPages(builder, cache, key);
	}

	ISearchBuilder<?> builder() {
		return (ISearchBuilder<?>) Proxy.newProxyInstance(KeptPages.class.getClassLoader(),
				new Class<?>[] { ISearchBuilder.class }, this);
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		Object result = Delegation.invoke(this.builder, method, args);
		if ("createQuery".equals(method.getName()) && result instanceof IResultIterator<?> query) {
			return query(query);
		}
		return result;
	}

	@SuppressWarnings("unchecked")
	private IResultIterator<?> query(IResultIterator<?> query) throws IOException {
		this.queries++;
		this.stamp = this.cache.stamp(this.key);
		if (this.stamp == null || this.queries > 1) {
			return query;
		}
		List<JpaPid> kept = this.cache.page(this.key, this.stamp);
		if (kept != null) {
			query.close();
			return new Replay(kept);
		}
		this.recording = new Recording((IResultIterator<JpaPid>) query);
		return this.recording;
	}

	/**
	 * Keeps what the search's one query gave, once the search has completed.
	 */
	void completed() {
		if (this.recording != null && this.queries == 1) {
			this.cache.put(this.key, this.stamp, List.copyOf(this.recording.ids));
		}
	}

	private static JpaPid copy(JpaPid id) {
		JpaPid copy = JpaPid.fromId(id.getId(), id.getPartitionId());
		copy.setVersion(id.getVersion());
		copy.setResourceType(id.getResourceType());
		return copy;
	}

	/** HAPI's query, the ids it gives noted. */
	private static final class Recording implements IResultIterator<JpaPid> {

		private final IResultIterator<JpaPid> query;

		private final List<JpaPid> ids = new ArrayList<>();

		Recording(IResultIterator<JpaPid> query) {
			this.query = query;
		}

		@Override
		public boolean hasNext() {
			return this.query.hasNext();
		}

		@Override
		public JpaPid next() {
			JpaPid id = this.query.next();
			this.ids.add(copy(id));
			return id;
		}

		@Override
		public int getSkippedCount() {
			return this.query.getSkippedCount();
		}

		@Override
		public int getNonSkippedCount() {
			return this.query.getNonSkippedCount();
		}

		@Override
		public Collection<JpaPid> getNextResultBatch(long batchSize) {
			Collection<JpaPid> batch = this.query.getNextResultBatch(batchSize);
			batch.forEach((id) -> this.ids.add(copy(id)));
			return batch;
		}

		@Override
		public void close() throws IOException {
			this.query.close();
		}

	}

	/** A kept page's ids, given as HAPI's query would. */
	private static final class Replay implements IResultIterator<JpaPid> {

		private final List<JpaPid> ids;

		private int next;

		Replay(List<JpaPid> ids) {
			this.ids = ids;
		}

		@Override
		public boolean hasNext() {
			return this.next < this.ids.size();
		}

		@Override
		public JpaPid next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			return copy(this.ids.get(this.next++));
		}

		@Override
		public int getSkippedCount() {
			return 0;
		}

		@Override
		public int getNonSkippedCount() {
			return this.next;
		}

		@Override
		public Collection<JpaPid> getNextResultBatch(long batchSize) {
			List<JpaPid> batch = new ArrayList<>();
			while (hasNext() && batch.size() < batchSize) {
				batch.add(next());
			}
			return batch;
		}

		@Override
		public void close() {
		}

	}

}
