package health.crosswalk.results;

import java.util.function.Supplier;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.partition.IRequestPartitionHelperSvc;
import ca.uhn.fhir.jpa.search.ISynchronousSearchSvc;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProviderFactory;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.crosswalk.database.Notifications;
import health.crosswalk.server.Pipeline;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Counts and pages of search results, and stored {@code $everything} searches, answered
 * from memory until a write to what they read commits ({@link ResultCache}).
 */
@Configuration(proxyBeanMethods = false)
class ResultConfiguration {

	/**
	 * The results, kept only while the server's listening session hears other servers'
	 * writes; the command line has no such session and keeps none.
	 */
	@Bean
	ResultCache resultCache(ResultsProperties properties, ObjectProvider<Notifications> notifications) {
		ResultCache cache = new ResultCache(properties.size());
		if (properties.size() > 0) {
			notifications.ifAvailable((listener) -> listener.subscribe(ResultCache.CHANNEL, cache));
		}
		return cache;
	}

	/**
	 * Every write tells the kept results, this server's and the others', whatever this
	 * server's own setting: a server with results kept may share the database with it.
	 */
	@Bean
	ResultWrites resultWrites(ResultCache cache, JdbcTemplate jdbc, Pipeline pipeline) {
		ResultWrites writes = new ResultWrites(cache, ResultWrites.notifier(jdbc));
		pipeline.add(writes);
		return writes;
	}

	@Bean
	MeterBinder resultCacheMetrics(ResultCache cache) {
		return cache::bindTo;
	}

	/**
	 * HAPI's synchronous search service, counts and pages answered from the kept results
	 * ({@link KeptSearches}).
	 */
	@Bean
	static BeanPostProcessor keptSearches(ObjectProvider<ResultCache> cache) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof ISynchronousSearchSvc searches && !KeptSearches.isWrapped(searches))
						? KeptSearches.wrap(searches, cache.getObject()) : bean;
			}
		};
	}

	/**
	 * HAPI's search coordinator, a client's {@code $everything} answered from the search
	 * it stored when nothing in its partition has been written since
	 * ({@link KeptEverything}).
	 */
	@Bean
	static BeanPostProcessor keptEverything(ObjectProvider<ResultCache> cache,
			ObjectProvider<IRequestPartitionHelperSvc> partitions,
			ObjectProvider<PersistedJpaBundleProviderFactory> providers) {
		return new CoordinatorPostProcessor(cache, new HapiStoredSearches(SingletonSupplier.of(partitions::getObject),
				SingletonSupplier.of(providers::getObject)));
	}

	/**
	 * Wraps HAPI's coordinator before the storage package's wrapping of it does (ordered
	 * post-processors run first), so that one sees what this answers.
	 */
	private record CoordinatorPostProcessor(ObjectProvider<ResultCache> cache,
			KeptEverything.StoredSearches stored) implements BeanPostProcessor, Ordered {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			return (bean instanceof ISearchCoordinatorSvc<?> coordinator && !KeptEverything.isWrapped(coordinator))
					? KeptEverything.wrap(coordinator, this.cache.getObject(), this.stored) : bean;
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/**
	 * HAPI's beans, looked up once, when first asked: a post-processor is made before
	 * them.
	 */
	private record HapiStoredSearches(Supplier<IRequestPartitionHelperSvc> partitions,
			Supplier<PersistedJpaBundleProviderFactory> providers) implements KeptEverything.StoredSearches {

		@Override
		public RequestPartitionId partition(RequestDetails request, String resourceType, SearchParameterMap search) {
			return this.partitions.get().determineReadPartitionForRequestForSearchType(request, resourceType, search);
		}

		@Override
		public IBundleProvider provider(RequestDetails request, String uuid) {
			// As HAPI answers a search from its own cache of earlier searches.
			return this.providers.get().newInstance(request, uuid);
		}

	}

}
