package health.crosswalk.limits;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry.SearchParamLookupContextEnum;

import health.crosswalk.server.Pipeline;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class LimitsConfiguration {

	@Bean
	FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(LimitsProperties properties) {
		FilterRegistrationBean<RequestSizeFilter> registration = new FilterRegistrationBean<>(new RequestSizeFilter(
				properties.maxBodySize().toBytes(), properties.maxParameters(), properties.maxParameterLength()));
		registration.setOrder(Pipeline.SIZE_FILTER);
		return registration;
	}

	/**
	 * Tomcat reads form posts itself: its limit is the same, so that a form within the
	 * limit is read whole and one beyond it is refused, never handled without its
	 * parameters.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatBodyLimits(LimitsProperties properties) {
		int maxBytes = (int) properties.maxBodySize().toBytes();
		return (factory) -> factory.addConnectorCustomizers((connector) -> connector.setMaxPostSize(maxBytes));
	}

	@Bean
	LimitHooks limitHooks(FhirContext fhir, LimitsProperties properties, Pipeline pipeline,
			ISearchParamRegistry searchParameters) {
		SearchModifiers modifiers = new SearchModifiers((type, name) -> {
			RuntimeSearchParam parameter = searchParameters.getActiveSearchParam(type, name,
					SearchParamLookupContextEnum.SEARCH);
			return (parameter != null) ? parameter.getParamType() : null;
		});
		LimitHooks hooks = new LimitHooks(
				new ResourceLimits(fhir, properties.maxStringLength(), properties.maxDecimalLength(),
						properties.maxElements(), modifiers::checkConditionalReference),
				new BundleEntries(properties.maxBundleEntries()), new TransactionTime(properties.maxTransactionTime()),
				modifiers);
		pipeline.add(hooks);
		pipeline.add(new BodyHooks(properties.maxJsonDepth(), properties.maxXmlDepth()));
		pipeline.add(new SearchHooks(modifiers));
		return hooks;
	}

}
