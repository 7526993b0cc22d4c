package health.crosswalk.linkage;

import java.util.Set;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import health.crosswalk.security.HospitalDirectory;
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
	PixProvider pixProvider(JdbcTemplate jdbc, ObjectMapper json, DaoRegistry daos, HospitalDirectory hospitals,
			LinkageProperties properties, RestfulServer fhirServer) {
		PixProvider provider = new PixProvider(new LinkStore(jdbc, json), daos, hospitals,
				Set.copyOf(properties.trustedSystems()), properties.upiSystem());
		fhirServer.registerProvider(provider);
		return provider;
	}

	@Bean
	MatchProvider matchProvider(JdbcTemplate jdbc, ObjectMapper json, DaoRegistry daos, LinkageProperties properties,
			RestfulServer fhirServer) {
		MatchProvider provider = new MatchProvider(new LinkStore(jdbc, json), new Matcher(properties.rules()), daos,
				Set.copyOf(properties.trustedSystems()));
		fhirServer.registerProvider(provider);
		return provider;
	}

	@Bean
	@ConditionalOnProperty(prefix = "crosswalk.linkage", name = "sharing", matchIfMissing = true)
	SharingHooks sharingHooks(JdbcTemplate jdbc, ObjectMapper json, DaoRegistry daos, RestfulServer fhirServer) {
		SharingHooks hooks = new SharingHooks(new LinkStore(jdbc, json), daos);
		fhirServer.registerInterceptor(hooks);
		return hooks;
	}

	@Bean
	UpiSearchHooks upiSearchHooks(JdbcTemplate jdbc, ObjectMapper json, LinkageProperties properties,
			RestfulServer fhirServer) {
		UpiSearchHooks hooks = new UpiSearchHooks(new LinkStore(jdbc, json), properties.upiSystem());
		fhirServer.registerInterceptor(hooks);
		return hooks;
	}

	@Bean
	LinkageHooks linkageHooks(LinkageService linkage, LinkageProperties properties,
			IInterceptorService storageInterceptors) {
		LinkageHooks hooks = new LinkageHooks(linkage, properties.upiSystem(), properties.sharing());
		storageInterceptors.registerInterceptor(hooks);
		return hooks;
	}

}
