package health.crosswalk.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import javax.sql.DataSource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.server.Pipeline;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.hl7.fhir.r4.model.AuditEvent;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class AuditConfiguration {

	@Bean
	AuditText auditText() {
		return new AuditText();
	}

	@Bean
	AuditStore auditStore(JdbcTemplate jdbc, AuditText text) {
		return new AuditStore(jdbc, text);
	}

	@Bean
	AuditChain auditChain(DataSource dataSource, AuditProperties properties, AuditText text) {
		byte[] key = (properties.hmacKey() != null) ? properties.hmacKey().getBytes(StandardCharsets.UTF_8) : null;
		return new AuditChain(dataSource, new ChainHash(key), text);
	}

	@Bean
	AuditMaintenance auditMaintenance(AuditChain chain, AuditStore store, AuditProperties properties) {
		return new AuditMaintenance(chain, store, properties.sealInterval());
	}

	@Bean
	MeterBinder auditSealerMetrics(AuditMaintenance maintenance) {
		return (registry) -> AuditMetrics.bind(registry, maintenance);
	}

	@Bean
	AuditEventProvider auditEventProvider(FhirContext fhir, AuditStore store, AuditChain chain,
			RestfulServer fhirServer, Pipeline pipeline) {
		AuditEventProvider provider = new AuditEventProvider(fhir, store, chain,
				fhirServer.getPagingProvider().getDefaultPageSize(),
				fhirServer.getPagingProvider().getMaximumPageSize());
		for (IResourceProvider existing : java.util.List.copyOf(fhirServer.getResourceProviders())) {
			if (existing.getResourceType() == AuditEvent.class) {
				// HAPI's JPA provider would let AuditEvents be written and read from its
				// own tables; the trail is ours.
				fhirServer.unregisterProvider(existing);
			}
		}
		fhirServer.registerProvider(provider);
		pipeline.add(new AuditCapability());
		return provider;
	}

	static AuditEventFactory eventFactory(FhirContext fhir, HospitalDirectory hospitals, AuditProperties properties) {
		String sourceId = (properties.sourceId() != null) ? properties.sourceId() : hostName();
		return new AuditEventFactory(fhir, sourceId, hostAddress(), hospitals);
	}

	private static String hostName() {
		try {
			return "crosswalk@" + InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "crosswalk";
		}
	}

	private static String hostAddress() {
		try {
			return InetAddress.getLocalHost().getHostAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * Recording of REST interactions. Component scanning finds this class on its own, so
	 * it repeats the outer class's condition: without it the command line (no web server)
	 * would load it and fail for want of the web-only beans.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication
	@ConditionalOnProperty(prefix = "crosswalk.audit", name = "enabled", matchIfMissing = true)
	static class Recording {

		@Bean(destroyMethod = "close")
		GroupCommit auditGroupCommit(DataSource dataSource, AuditText text, AuditProperties properties) {
			return new GroupCommit(dataSource, text, properties.queueCapacity(), properties.commitTimeout());
		}

		/** The {@code audit} health component, in the readiness group. */
		@Bean
		HealthIndicator auditHealthIndicator(GroupCommit groupCommit) {
			return new AuditHealth(groupCommit);
		}

		@Bean
		MeterBinder auditCommitMetrics(GroupCommit groupCommit) {
			return (registry) -> AuditMetrics.bind(registry, groupCommit);
		}

		@Bean
		AuditTrail auditTrail(FhirContext fhir, GroupCommit groupCommit, AuditStore store, HospitalDirectory hospitals,
				AuditProperties properties) {
			return new AuditTrail(eventFactory(fhir, hospitals, properties), groupCommit, store, new Touches(fhir),
					System::currentTimeMillis);
		}

		@Bean
		FilterRegistrationBean<AuditFilter> auditFilter(AuditTrail trail, Pipeline pipeline) {
			pipeline.add(new AuditHooks.Rest(trail));
			pipeline.add(new AuditHooks.Storage(trail));
			FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(new AuditFilter(trail));
			registration.setOrder(Pipeline.AUDIT_FILTER);
			return registration;
		}

	}

}
