package health.crosswalk.results;

import ca.uhn.fhir.jpa.search.ISynchronousSearchSvc;
import health.crosswalk.database.Notifications;
import health.crosswalk.server.Pipeline;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts and pages of search results answered from memory until a write to what they read
 * commits ({@link ResultCache}).
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

}
