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
	LinkStore linkStore(JdbcTemplate jdbc, ObjectMapper json) {
		return new LinkStore(jdbc, json);
	}

	@Bean
	Matcher matcher(LinkageProperties properties) {
		return new Matcher(properties.rules());
	}

	@Bean
	LinkageService linkageService(LinkStore store, Matcher matcher, LinkageProperties properties) {
		return new LinkageService(store, matcher, Set.copyOf(properties.trustedSystems()));
	}

	@Bean
	PixProvider pixProvider(LinkStore store, DaoRegistry daos, HospitalDirectory hospitals,
			LinkageProperties properties, RestfulServer fhirServer) {
		PixProvider provider = new PixProvider(store, daos, hospitals, Set.copyOf(properties.trustedSystems()),
				properties.upiSystem());
		fhirServer.registerProvider(provider);
		return provider;
	}

	@Bean
	MatchProvider matchProvider(LinkStore store, Matcher matcher, DaoRegistry daos, LinkageProperties properties,
			RestfulServer fhirServer) {
		MatchProvider provider = new MatchProvider(store, matcher, daos, Set.copyOf(properties.trustedSystems()));
		fhirServer.registerProvider(provider);
		return provider;
	}

	@Bean
	@ConditionalOnProperty(prefix = "crosswalk.linkage", name = "sharing", matchIfMissing = true)
	SharingHooks sharingHooks(LinkStore store, DaoRegistry daos, RestfulServer fhirServer) {
		SharingHooks hooks = new SharingHooks(store, daos);
		fhirServer.registerInterceptor(hooks);
		return hooks;
	}

	@Bean
	PixRequestHooks pixRequestHooks(RestfulServer fhirServer) {
		PixRequestHooks hooks = new PixRequestHooks();
		fhirServer.registerInterceptor(hooks);
		return hooks;
	}

	@Bean
	UpiSearchHooks upiSearchHooks(LinkStore store, LinkageProperties properties, RestfulServer fhirServer) {
		UpiSearchHooks hooks = new UpiSearchHooks(store, properties.upiSystem());
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
