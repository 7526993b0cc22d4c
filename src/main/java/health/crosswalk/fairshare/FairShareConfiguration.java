package health.crosswalk.fairshare;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class FairShareConfiguration {

	/** Right after Spring Security, which names the caller. */
	static final int FILTER_ORDER = SecurityProperties.DEFAULT_FILTER_ORDER + 1;

	@Bean
	FairShare fairShare(FairShareProperties properties) {
		return new FairShare(properties.maxConcurrentRequests(), properties.maxQueuedRequests(),
				properties.queueTimeout());
	}

	@Bean
	FilterRegistrationBean<FairShareFilter> fairShareFilter(FairShare share, FairShareProperties properties) {
		FilterRegistrationBean<FairShareFilter> registration = new FilterRegistrationBean<>(
				new FairShareFilter(share, properties));
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

}
