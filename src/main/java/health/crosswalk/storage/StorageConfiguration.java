package health.crosswalk.storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.dao.TransactionProcessor;
import ca.uhn.fhir.jpa.dao.data.IResourceHistoryTableDao;
import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.dao.index.IdHelperService;
import ca.uhn.fhir.jpa.esr.ExternallyStoredResourceServiceRegistry;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.sched.AutowiringSpringBeanJobFactory;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.jpa.searchparam.registry.ISearchParamProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.util.JpaHapiTransactionService;
import ca.uhn.fhir.jpa.util.MemoryCacheService;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import health.crosswalk.database.SchemaOwner;
import health.crosswalk.server.Pipeline;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.jpa.boot.spi.JpaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

@Configuration(proxyBeanMethods = false)
@Import({ JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
		SubscriptionChannelConfig.class, ThreadPoolFactoryConfig.class })
@EnableConfigurationProperties(StorageProperties.class)
class StorageConfiguration {

	private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

	@Bean
	JpaStorageSettings storageSettings() {
		return CrosswalkStorageSettings.storage();
	}

	@Bean
	PartitionSettings partitionSettings() {
		return CrosswalkStorageSettings.partitions();
	}

	@Bean
	SearchParameterSubset searchParameterSubset(FhirContext fhirContext, StorageProperties properties) {
		StorageProperties.SearchParameters settings = properties.searchParameters();
		if (!settings.subset()) {
			return SearchParameterSubset.none();
		}
		Map<String, List<String>> lists = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		lists.putAll(SearchParameterSubset.CORE);
		lists.putAll(settings.indexed());
		return SearchParameterSubset.of(fhirContext, lists);
	}

	/**
	 * HAPI's transaction processor less one of its two extractions and encodings of each
	 * new resource ({@link IndexOnceTransactionProcessor}); primary over HAPI's own bean,
	 * which stays unused.
	 */
	@Bean
	@Primary
	TransactionProcessor indexOnceTransactionProcessor(FhirContext fhirContext,
			ExternallyStoredResourceServiceRegistry externallyStored) {
		externallyStored.registerProvider(IndexOnceTransactionProcessor.FIRST_PASS);
		return new IndexOnceTransactionProcessor(fhirContext);
	}

	/**
	 * HAPI's R4 search-parameter extractor, its FHIRPath expressions parsed once and the
	 * core type definitions its engine looks up kept ({@link KeptFhirPaths}); primary
	 * over HAPI's own bean, which stays unused.
	 */
	@Bean
	@Primary
	ISearchParamExtractor keptFhirPaths() {
		return new KeptFhirPaths();
	}

	/**
	 * HAPI's memory caches with a larger, longer-lived cache of resource identities
	 * ({@link IdCache}), its hits and misses published as cache metrics; primary over
	 * HAPI's own bean, which stays unused.
	 */
	@Bean
	@Primary
	MemoryCacheService idCache(JpaStorageSettings storageSettings, StorageProperties properties) {
		return new IdCache(storageSettings, properties.idCache());
	}

	@Bean
	MeterBinder idCacheMetrics(MemoryCacheService idCache) {
		return (registry) -> {
			if (idCache instanceof IdCache identities) {
				identities.bindTo(registry);
			}
		};
	}

	/**
	 * HAPI's search-parameter provider (a primary bean of its own configuration), wrapped
	 * so that its registry sees the subset's overrides.
	 */
	@Bean
	static BeanPostProcessor subsetSearchParamProvider(ObjectProvider<SearchParameterSubset> subset) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof ISearchParamProvider stored && !(bean instanceof SubsetSearchParamProvider))
						? new SubsetSearchParamProvider(stored, subset.getObject()) : bean;
			}
		};
	}

	/**
	 * HAPI's repository of resource versions, its query for a page of search results run
	 * so that Hibernate keeps the query's plan ({@link PageLoads}).
	 */
	@Bean
	static BeanPostProcessor pageLoads(ObjectProvider<EntityManagerFactory> entityManagerFactory,
			ObjectProvider<PlatformTransactionManager> transactions) {
		Supplier<EntityManager> entityManager = sharedEntityManager(entityManagerFactory);
		Supplier<TransactionOperations> readOnly = SingletonSupplier.of(() -> {
			TransactionTemplate template = new TransactionTemplate(transactions.getObject());
			template.setReadOnly(true);
			return template;
		});
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof IResourceHistoryTableDao repository && !PageLoads.isWrapped(repository))
						? PageLoads.wrap(repository, entityManager, readOnly) : bean;
			}
		};
	}

	/**
	 * HAPI's repository of resources, its read by partition and id answered with the
	 * current version in one query ({@link CurrentVersionReads}).
	 */
	@Bean
	static BeanPostProcessor currentVersionReads(ObjectProvider<EntityManagerFactory> entityManagerFactory,
			ObjectProvider<ImplicitReads> implicitReads) {
		Supplier<EntityManager> entityManager = sharedEntityManager(entityManagerFactory);
		Supplier<ImplicitReads> reads = SingletonSupplier.of(implicitReads::getObject);
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof IResourceTableDao repository && !CurrentVersionReads.isWrapped(repository))
						? CurrentVersionReads.wrap(repository, entityManager, reads) : bean;
			}
		};
	}

	/**
	 * Reads by id answered with their stored text, where HAPI's encoding would give the
	 * same bytes ({@link StoredTextReads}).
	 */
	@Bean
	StoredTextReads storedTextReads(FhirContext context, Pipeline pipeline, RestfulServer fhirServer,
			IInterceptorService storageInterceptors) {
		StoredTextReads reads = new StoredTextReads(context,
				() -> List.of(fhirServer.getInterceptorService(), storageInterceptors));
		pipeline.add(reads);
		return reads;
	}

	/**
	 * Whether a read by id's first query may run as a statement of its own
	 * ({@link ImplicitReads}): only where the server's sessions default to read
	 * committed, asked once at start.
	 */
	@Bean
	ImplicitReads implicitReads(DataSource dataSource) {
		String isolation = new JdbcTemplate(dataSource).queryForObject("SHOW default_transaction_isolation",
				String.class);
		ImplicitReads reads = ImplicitReads.forSessions(isolation);
		if (!reads.isOn()) {
			log.info("Sessions default to {}: a read by id's query runs inside its transaction", isolation);
		}
		return reads;
	}

	/**
	 * HAPI's transaction service, replaced by one that runs the transactions of a read by
	 * id or version read-only ({@link ReadOnlyReads}), with the same collaborators.
	 */
	@Bean
	static BeanPostProcessor readOnlyReads(ConfigurableListableBeanFactory beanFactory) {
		return replacing(JpaHapiTransactionService.class, ReadOnlyReads::new, beanFactory);
	}

	/**
	 * HAPI's identity service, replaced by one that looks up the identity of a resource
	 * read by id, when it is not cached, in the query that loads the resource
	 * ({@link IdentityReads}), with the same collaborators.
	 */
	@Bean
	static BeanPostProcessor identityReads(ConfigurableListableBeanFactory beanFactory) {
		return replacing(IdHelperService.class, IdentityReads::new, beanFactory);
	}

	/**
	 * A post-processor that replaces the bean of exactly HAPI's class by a subclass of
	 * Crosswalk's, before either is initialized, its fields autowired as HAPI's are.
	 */
	private static BeanPostProcessor replacing(Class<?> hapis, Supplier<?> ours,
			ConfigurableListableBeanFactory beanFactory) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean.getClass() != hapis) {
					return bean;
				}
				Object replacement = ours.get();
				beanFactory.autowireBean(replacement);
				return replacement;
			}
		};
	}

	/**
	 * The shared entity manager, made when first asked: a post-processor is made before
	 * the entity manager factory.
	 */
	private static Supplier<EntityManager> sharedEntityManager(
			ObjectProvider<EntityManagerFactory> entityManagerFactory) {
		return SingletonSupplier
			.of(() -> SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory.getObject()));
	}

	/**
	 * HAPI's search coordinator, the totals of stored searches that asked for none
	 * answered without reading the search back ({@link SearchTotals}).
	 */
	@Bean
	static BeanPostProcessor searchTotals() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof ISearchCoordinatorSvc<?> coordinator && !SearchTotals.isWrapped(coordinator))
						? SearchTotals.wrap(coordinator) : bean;
			}
		};
	}

	/**
	 * HAPI's job factory, replaced by one that runs each clustered job once per interval
	 * across the servers sharing the database ({@link ClusterOnceJobs}).
	 */
	@Bean
	static BeanPostProcessor clusterOnceJobs(ObjectProvider<JdbcTemplate> jdbc,
			org.springframework.context.ApplicationContext context) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean.getClass() != AutowiringSpringBeanJobFactory.class) {
					return bean;
				}
				ClusterOnceJobs factory = new ClusterOnceJobs(new java.util.function.Supplier<>() {

					private volatile ClusterOnceJobs.Leases leases;

					@Override
					public ClusterOnceJobs.Leases get() {
						if (this.leases == null) {
							this.leases = ClusterOnceJobs.leases(jdbc.getObject());
						}
						return this.leases;
					}

				});
				factory.setApplicationContext(context);
				return factory;
			}
		};
	}

	@Bean
	SmartInitializingSingleton searchParameterSubsetActivation(ISearchParamRegistry searchParamRegistry,
			SearchParameterSubset subset) {
		return () -> SubsetSearchParamProvider.activate(searchParamRegistry, subset);
	}

	@Bean
	HapiSchemaMigration hapiSchemaMigration(SchemaOwner owner, ObjectProvider<FlywayMigrationInitializer> flyway) {
		// Crosswalk's own migrations first, so that the grants below cover both schemas.
		flyway.ifAvailable((migrated) -> {
		});
		HapiSchemaMigration migration = HapiSchemaMigration.run(owner.dataSource());
		owner.grantApplicationRole();
		return migration;
	}

	@Bean
	@Primary
	LocalContainerEntityManagerFactoryBean entityManagerFactory(HapiSchemaMigration migratedFirst,
			DataSource dataSource, ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext,
			JpaStorageSettings storageSettings, StorageProperties properties) {
		LocalContainerEntityManagerFactoryBean factory = HapiEntityManagerFactoryUtil
			.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
		factory.setPersistenceUnitName("HAPI_PU");
		factory.setDataSource(dataSource);
		factory.setJpaPropertyMap(HibernateSettings.forPostgres(properties.slowStatementThreshold()));
		return factory;
	}

	@Bean
	@Primary
	JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
		return new JpaTransactionManager(entityManagerFactory);
	}

	/**
	 * Hibernate's settings: HAPI's PostgreSQL dialect, schema validated (never changed),
	 * inserts and updates batched 50 at a time and ordered by table so that a flush of
	 * many resources fills whole batches, no caches (HAPI caches what it needs itself),
	 * Hibernate Search off, statements slower than the threshold logged, and a new
	 * resource's rows inserted once with their final values ({@link InsertFinalState}).
	 */
	static final class HibernateSettings {

		private HibernateSettings() {
		}

		static Map<String, Object> forPostgres(Duration slowStatementThreshold) {
			return Map.ofEntries(Map.entry(AvailableSettings.DIALECT, HapiFhirPostgresDialect.class.getName()),
					Map.entry(AvailableSettings.HBM2DDL_AUTO, "validate"),
					Map.entry(AvailableSettings.STATEMENT_BATCH_SIZE, "50"),
					Map.entry(AvailableSettings.ORDER_INSERTS, "true"),
					Map.entry(AvailableSettings.ORDER_UPDATES, "true"),
					Map.entry(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false"),
					Map.entry(AvailableSettings.USE_QUERY_CACHE, "false"),
					Map.entry(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner"),
					Map.entry("hibernate.search.enabled", "false"), Map.entry(AvailableSettings.SHOW_SQL, "false"),
					Map.entry(AvailableSettings.LOG_SLOW_QUERY, Long.toString(slowStatementThreshold.toMillis())),
					Map.entry(JpaSettings.INTEGRATOR_PROVIDER, InsertFinalState.provider()));
		}

	}

}
