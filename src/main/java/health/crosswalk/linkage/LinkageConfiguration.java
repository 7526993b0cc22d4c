package health.crosswalk.linkage;

import java.util.Set;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "crosswalk.linkage", name = "enabled", matchIfMissing = true)
class LinkageConfiguration {

	@Bean
	LinkageService linkageService(JdbcTemplate jdbc, ObjectMapper json, LinkageProperties properties) {
		return new LinkageService(new LinkStore(jdbc, json), new Matcher(properties.rules()),
				Set.copyOf(properties.trustedSystems()));
	}

	@Bean
	LinkageHooks linkageHooks(LinkageService linkage, LinkageProperties properties,
			IInterceptorService storageInterceptors) {
		LinkageHooks hooks = new LinkageHooks(linkage, properties.upiSystem());
		storageInterceptors.registerInterceptor(hooks);
		return hooks;
	}

}
