package health.crosswalk.fairshare;

import health.crosswalk.server.Pipeline;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class FairShareConfiguration {

	@Bean
	FairShare fairShare(FairShareProperties properties) {
		return new FairShare(properties.maxConcurrentRequests(), properties.maxQueuedRequests(),
				properties.queueTimeout());
	}

	@Bean
	FilterRegistrationBean<FairShareFilter> fairShareFilter(FairShare share, FairShareProperties properties) {
		FilterRegistrationBean<FairShareFilter> registration = new FilterRegistrationBean<>(
				new FairShareFilter(share, properties));
		registration.setOrder(Pipeline.FAIR_SHARE_FILTER);
		return registration;
	}

}
