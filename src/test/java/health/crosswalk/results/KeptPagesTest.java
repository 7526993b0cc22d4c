package health.crosswalk.results;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

import ca.uhn.fhir.jpa.dao.IResultIterator;
import ca.uhn.fhir.jpa.dao.ISearchBuilder;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page's ids are given from memory while nothing they depend on has been written, with
 * HAPI's builder still prepared for loading them, and its query left unread.
 */
class KeptPagesTest {

	private static final ResultCache.Key PAGE = new ResultCache.Key(7, "Observation", "?code=a&_sort=-date#null#null");

	private ResultCache cache;

	private Database database;

	@BeforeEach
	void listening() {
		this.cache = new ResultCache(100);
		this.cache.listening(true);
		this.database = new Database(List.of(JpaPid.fromId(11L, 7), JpaPid.fromId(12L, 7)));
	}

	@Test
	void aPageIsReadOnceThenGivenFromMemoryUntilItsScopeIsWritten() {
		assertThat(search()).containsExactly(11L, 12L);
		assertThat(this.database.reads).isEqualTo(1);

		assertThat(search()).containsExactly(11L, 12L);
		assertThat(this.database.reads).as("kept").isEqualTo(1);
		assertThat(this.database.prepared).as("HAPI's builder still prepared").isEqualTo(2);
		assertThat(this.database.closed).as("its query closed unread").isEqualTo(2);

		this.cache.changed(List.of(ResultCache.scope(7, "Patient")));
		search();
		assertThat(this.database.reads).as("another type written").isEqualTo(1);
		this.cache.changed(List.of(ResultCache.scope(7, "Observation")));
		search();
		assertThat(this.database.reads).as("its type written").isEqualTo(2);
	}

	@Test
	void idsGivenOutAreCopiesThatHapiMayChange() {
		List<JpaPid> first = ids();
		first.forEach((id) -> id.setVersion(99L));
		List<JpaPid> second = ids();
		assertThat(second).extracting(JpaPid::getId).containsExactly(11L, 12L);
		assertThat(second).extracting(JpaPid::getVersion).containsOnlyNulls();
		assertThat(this.database.reads).isEqualTo(1);
	}

	@Test
	void nothingIsKeptFromASearchThatFailedOrRanTwoQueriesOrWhileNotListening() {
		KeptPages failed = KeptPages.of(this.database.builder(), this.cache, PAGE);
		read(failed.builder());
		search();
		assertThat(this.database.reads).as("the failed search kept nothing").isEqualTo(2);

		this.cache.changed(List.of(ResultCache.scope(7, "Observation")));
		KeptPages twice = KeptPages.of(this.database.builder(), this.cache, PAGE);
		read(twice.builder());
		read(twice.builder());
		twice.completed();
		search();
		assertThat(this.database.reads).as("two queries kept nothing").isEqualTo(5);

		this.cache.listening(false);
		search();
		search();
		assertThat(this.database.reads).isEqualTo(7);
	}

	private List<Long> search() {
		return ids().stream().map(JpaPid::getId).toList();
	}

	private List<JpaPid> ids() {
		KeptPages pages = KeptPages.of(this.database.builder(), this.cache, PAGE);
		List<JpaPid> ids = read(pages.builder());
		pages.completed();
		return ids;
	}

	@SuppressWarnings("unchecked")
	private static List<JpaPid> read(ISearchBuilder<?> builder) {
		List<JpaPid> ids = new ArrayList<>();
		try (IResultIterator<JpaPid> query = (IResultIterator<JpaPid>) builder.createQuery(new SearchParameterMap(),
				null, null, null)) {
			query.forEachRemaining(ids::add);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return ids;
	}

	/**
	 * HAPI's builder as seen from outside: each query prepared at once, read from the
	 * database at its first result.
	 */
	private static final class Database {

		private final List<JpaPid> rows;

		private int prepared;

		private int reads;

		private int closed;

		Database(List<JpaPid> rows) {
			this.rows = rows;
		}

		ISearchBuilder<?> builder() {
			return (ISearchBuilder<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { ISearchBuilder.class }, (proxy, method, args) -> {
						if (!"createQuery".equals(method.getName())) {
							throw new UnsupportedOperationException(method.getName());
						}
						this.prepared++;
						return new Query();
					});
		}

		private final class Query implements IResultIterator<JpaPid> {

			private Iterator<JpaPid> read;

			private Iterator<JpaPid> read() {
				if (this.read == null) {
					Database.this.reads++;
					this.read = Database.this.rows.stream()
						.map((row) -> JpaPid.fromId(row.getId(), row.getPartitionId()))
						.iterator();
				}
				return this.read;
			}

			@Override
			public boolean hasNext() {
				return read().hasNext();
			}

			@Override
			public JpaPid next() {
				return read().next();
			}

			@Override
			public int getSkippedCount() {
				return 0;
			}

			@Override
			public int getNonSkippedCount() {
				return 0;
			}

			@Override
			public Collection<JpaPid> getNextResultBatch(long batchSize) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void close() {
				Database.this.closed++;
			}

		}

	}

}
