package health.crosswalk.replica;

import health.crosswalk.server.Pipeline;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
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

}
