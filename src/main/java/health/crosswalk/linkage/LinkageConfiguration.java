package health.crosswalk.linkage;

import java.util.List;
import java.util.Set;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.partition.IPartitionLookupSvc;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.security.HospitalDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;

import health.crosswalk.server.Disclosures;
import health.crosswalk.server.JobDisclosure;
import health.crosswalk.server.Pipeline;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.context.ApplicationEventPublisher;
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
	LinkageService linkageService(LinkStore store, Matcher matcher, LinkageProperties properties,
			MeterRegistry registry) {
		// Decisions taken, also in transactions later rolled back.
		Meter.MeterProvider<Counter> decisions = Counter.builder("crosswalk.linkage.decisions")
			.description("Linkage decisions, by kind")
			.withRegistry(registry);
		return new LinkageService(store, matcher, Set.copyOf(properties.trustedSystems()),
				(kind) -> decisions.withTags("kind", kind).increment());
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
	SharingHooks sharingHooks(LinkStore store, DaoRegistry daos, Pipeline pipeline) {
		SharingHooks hooks = new SharingHooks(store, daos);
		pipeline.add(hooks);
		return hooks;
	}

	/**
	 * HAPI's bulk export processor, wrapped so that a hospital's patient- and group-level
	 * exports also hold the records linked elsewhere ({@link SharedExportRecords}).
	 */
	@Bean
	@ConditionalOnProperty(prefix = "crosswalk.linkage", name = "sharing", matchIfMissing = true)
	static SharedExportInstaller sharedExportRecords(ObjectProvider<LinkStore> store,
			ObjectProvider<IPartitionLookupSvc> partitions, ObjectProvider<ApplicationEventPublisher> events) {
		return new SharedExportInstaller(store, partitions, events);
	}

	/** Ordered, and declared as such, so that Spring sees its order before making it. */
	static final class SharedExportInstaller implements BeanPostProcessor, Ordered {

		private final ObjectProvider<LinkStore> store;

		private final ObjectProvider<IPartitionLookupSvc> partitions;

		private final ObjectProvider<ApplicationEventPublisher> events;

		SharedExportInstaller(ObjectProvider<LinkStore> store, ObjectProvider<IPartitionLookupSvc> partitions,
				ObjectProvider<ApplicationEventPublisher> events) {
			this.store = store;
			this.partitions = partitions;
			this.events = events;
		}

		@Override
		@SuppressWarnings("unchecked")
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			return (bean instanceof IBulkExportProcessor<?> hapi && !(bean instanceof SharedExportRecords))
					? new SharedExportRecords((IBulkExportProcessor<JpaPid>) hapi, (partitionId,
							patientIds) -> this.store.getObject().linkedElsewhere(partitionId, patientIds),
							this::disclosed)
					: bean;
		}

		/** Published for the audit trail, which records it before the export goes on. */
		private void disclosed(String job, int partitionId, List<LinkStore.Linked> records) {
			this.events.getObject()
				.publishEvent(new JobDisclosure(job, "$export", hospitalOf(partitionId),
						records.stream()
							.map((linked) -> new Disclosures.Disclosed("Patient/" + linked.record().patientId(), null,
									null, linked.hospital()))
							.toList()));
		}

		/** Partitions are named after their hospitals' slugs (HAPI caches them). */
		private String hospitalOf(int partitionId) {
			try {
				return this.partitions.getObject().getPartitionById(partitionId).getName();
			}
			catch (ResourceNotFoundException ex) {
				return null;
			}
		}

		@Override
		public int getOrder() {
			return SharedExportRecords.ORDER;
		}

	}

	@Bean
	PixRequestHooks pixRequestHooks(Pipeline pipeline) {
		PixRequestHooks hooks = new PixRequestHooks();
		pipeline.add(hooks);
		return hooks;
	}

	@Bean
	UpiSearchHooks upiSearchHooks(LinkStore store, LinkageProperties properties, Pipeline pipeline) {
		UpiSearchHooks hooks = new UpiSearchHooks(store, properties.upiSystem());
		pipeline.add(hooks);
		return hooks;
	}

	@Bean
	LinkageHooks linkageHooks(LinkageService linkage, LinkageProperties properties, Pipeline pipeline) {
		LinkageHooks hooks = new LinkageHooks(linkage, properties.upiSystem(), properties.sharing());
		pipeline.add(hooks);
		return hooks;
	}

}
