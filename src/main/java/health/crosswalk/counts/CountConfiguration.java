package health.crosswalk.counts;

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
 * Count-only searches answered from memory until a write to what they count commits
 * ({@link CountCache}).
 */
@Configuration(proxyBeanMethods = false)
class CountConfiguration {

	/**
	 * The counts, kept only while the server's listening session hears other servers'
	 * writes; the command line has no such session and keeps none.
	 */
	@Bean
	CountCache countCache(CountsProperties properties, ObjectProvider<Notifications> notifications) {
		CountCache cache = new CountCache(properties.size());
		if (properties.size() > 0) {
			notifications.ifAvailable((listener) -> listener.subscribe(CountCache.CHANNEL, cache));
		}
		return cache;
	}

	/**
	 * Every write tells the counts, this server's and the others', whatever this server's
	 * own setting: a server with counts kept may share the database with it.
	 */
	@Bean
	CountWrites countWrites(CountCache cache, JdbcTemplate jdbc, Pipeline pipeline) {
		CountWrites writes = new CountWrites(cache, CountWrites.notifier(jdbc));
		pipeline.add(writes);
		return writes;
	}

	@Bean
	MeterBinder countCacheMetrics(CountCache cache) {
		return cache::bindTo;
	}

	/**
	 * HAPI's synchronous search service, count-only searches answered from the counts
	 * ({@link CountedSearches}).
	 */
	@Bean
	static BeanPostProcessor countedSearches(ObjectProvider<CountCache> cache) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof ISynchronousSearchSvc searches && !CountedSearches.isWrapped(searches))
						? CountedSearches.wrap(searches, cache.getObject()) : bean;
			}
		};
	}

}
