package health.crosswalk.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ServerConfiguration {

	static final String SOFTWARE_NAME = "Crosswalk";

	/**
	 * HAPI's primary FHIR context made as {@link ServerFhirContext}: search pages and
	 * encodings without HAPI's walks for resources held by references, and a leaner
	 * terser.
	 */
	@Bean
	static BeanFactoryPostProcessor serverFhirContext() {
		return ServerFhirContext::replaceHapis;
	}

	@Bean
	RestfulServer fhirServer(FhirContext fhirContext, ServerProperties properties,
			ObjectProvider<BuildProperties> build, ResourceProviderFactory resourceProviders,
			IJpaSystemProvider systemProvider, DatabaseBackedPagingProvider pagingProvider,
			CapabilityStatementParts capabilityParts) {
		// Unknown elements and invalid values are refused, never silently dropped.
		fhirContext.setParserErrorHandler(new StrictErrorHandler());
		RestfulServer server = new RestfulServer(fhirContext);
		server.setServerName(SOFTWARE_NAME);
		server.setServerVersion(version(build));
		server.setImplementationDescription("Crosswalk FHIR R4 server for hospital networks");
		server.setDefaultResponseEncoding(EncodingEnum.JSON);
		server.registerProviders(resourceProviders.createProviders());
		server.registerProvider(systemProvider);
		pagingProvider.setDefaultPageSize(properties.defaultPageSize());
		pagingProvider.setMaximumPageSize(properties.maxPageSize());
		server.setPagingProvider(pagingProvider);
		if (properties.hasBaseUrl()) {
			server.setServerAddressStrategy(new HardcodedServerAddressStrategy(properties.baseUrl().toString()));
		}
		server.setServerConformanceProvider(capabilityParts.provider(server));
		return server;
	}

	@Bean
	Pipeline pipeline(RestfulServer fhirServer, IInterceptorService storageInterceptors) {
		return new Pipeline(fhirServer, storageInterceptors);
	}

	@Bean
	RequestMetrics requestMetrics(MeterRegistry registry, Pipeline pipeline) {
		RequestMetrics metrics = new RequestMetrics(registry);
		pipeline.add(metrics);
		return metrics;
	}

	@Bean
	ErrorOutcomes errorOutcomes(Pipeline pipeline) {
		ErrorOutcomes outcomes = new ErrorOutcomes();
		pipeline.add(outcomes);
		return outcomes;
	}

	@Bean
	BundleShape bundleShape(Pipeline pipeline) {
		BundleShape shape = new BundleShape();
		pipeline.add(shape);
		return shape;
	}

	@Bean
	OffsetPaging offsetPaging(ServerProperties properties, Pipeline pipeline) {
		OffsetPaging paging = new OffsetPaging(properties.defaultPageSize(), properties.maxPageSize());
		if (properties.paging() == ServerProperties.Paging.OFFSET) {
			pipeline.add(paging);
		}
		return paging;
	}

	/**
	 * Bare reference ids typed where their parameter allows one type, so that HAPI finds
	 * them in its identity cache ({@link TypedReferences}).
	 */
	@Bean
	TypedReferences typedReferences(ISearchParamRegistry searchParams, FhirContext fhirContext, Pipeline pipeline) {
		TypedReferences references = new TypedReferences(searchParams, fhirContext);
		pipeline.add(references);
		return references;
	}

	@Bean
	ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirServer) {
		ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(fhirServer, "/fhir/*");
		registration.setName("fhir");
		registration.setLoadOnStartup(1);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		registration.setOrder(Pipeline.REQUEST_ID_FILTER);
		return registration;
	}

	@Bean
	FilterRegistrationBean<FlushAtEndFilter> flushAtEndFilter() {
		FilterRegistrationBean<FlushAtEndFilter> registration = new FilterRegistrationBean<>(new FlushAtEndFilter());
		registration.setOrder(Pipeline.FLUSH_FILTER);
		return registration;
	}

	@Bean
	FilterRegistrationBean<ParameterFilter> parameterFilter() {
		FilterRegistrationBean<ParameterFilter> registration = new FilterRegistrationBean<>(new ParameterFilter());
		// After the body size limit: reading parameters may read a form body.
		registration.setOrder(Pipeline.REQUEST_SHAPE_FILTER);
		return registration;
	}

	@Bean
	FilterRegistrationBean<MethodFilter> methodFilter() {
		FilterRegistrationBean<MethodFilter> registration = new FilterRegistrationBean<>(new MethodFilter());
		registration.setOrder(Pipeline.REQUEST_SHAPE_FILTER);
		return registration;
	}

	/**
	 * Makes the logging context's turbo filters one once every bean is made (see
	 * {@link OneTurboFilter}).
	 */
	@Bean
	ApplicationListener<ApplicationStartedEvent> oneTurboFilter() {
		return (started) -> {
			if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
				OneTurboFilter.combine(logback);
			}
		};
	}

	/**
	 * Keeps refused requests out of the ERROR log (see {@link RefusalLogFilter}).
	 */
	@Bean
	RefusalLogFilter refusalLogFilter() {
		RefusalLogFilter filter = new RefusalLogFilter();
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
			filter.setContext(logback);
			filter.start();
			logback.addTurboFilter(filter);
		}
		return filter;
	}

	@Bean
	CapabilityStatementParts capabilityStatementParts(IFhirSystemDao<?, ?> systemDao,
			JpaStorageSettings storageSettings, ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport) {
		return new CapabilityStatementParts(systemDao, storageSettings, searchParamRegistry, validationSupport);
	}

	private static String version(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return (properties != null) ? properties.getVersion() : "development";
	}

	/**
	 * What the CapabilityStatement is built from: the JPA layer's view of types, search
	 * parameters and profiles.
	 */
	record CapabilityStatementParts(IFhirSystemDao<?, ?> systemDao, JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry, IValidationSupport validationSupport) {

		JpaCapabilityStatementProvider provider(RestfulServer server) {
			JpaCapabilityStatementProvider provider = new JpaCapabilityStatementProvider(server, this.systemDao,
					this.storageSettings, this.searchParamRegistry, this.validationSupport);
			provider.setImplementationDescription("Crosswalk FHIR R4 server for hospital networks");
			// Counts would disclose every hospital's volumes and cost a scan per request.
			provider.setIncludeResourceCounts(false);
			return provider;
		}

	}

}
