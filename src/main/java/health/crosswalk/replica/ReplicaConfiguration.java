package health.crosswalk.replica;

import health.crosswalk.database.ReadRoute;
import health.crosswalk.server.Pipeline;
import jakarta.servlet.Filter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Read scaling: with {@code crosswalk.db.replica-url} set, the requests a replica may
 * answer take their connections from it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${crosswalk.db.replica-url:}'.isBlank()")
class ReplicaConfiguration {

	@Bean
	ReplicaReads replicaReads(Pipeline pipeline, Environment environment) {
		ReplicaReads reads = new ReplicaReads(
				"offset".equalsIgnoreCase(environment.getProperty("crosswalk.server.paging", "offset")));
		pipeline.add(reads);
		return reads;
	}

	/**
	 * Whatever HAPI's hooks did, a servlet thread leaves each request (FHIR or not, such
	 * as the admin API's writes) on the primary.
	 */
	@Bean
	FilterRegistrationBean<Filter> replicaRouteReset() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			ReadRoute.primary();
			try {
				chain.doFilter(request, response);
			}
			finally {
				ReadRoute.primary();
			}
		});
		registration.setOrder(Pipeline.REQUEST_ID_FILTER);
		return registration;
	}

}
