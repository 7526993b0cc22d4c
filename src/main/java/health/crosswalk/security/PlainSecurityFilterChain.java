package health.crosswalk.security;

import java.util.List;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.ConstructorArgumentValues.ValueHolder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.security.config.BeanIds;
import org.springframework.security.web.FilterChainProxy;

/**
 * Serves Spring Security's filter chain without the handler-mapping cache that Spring
 * Security puts in front of it whenever Spring MVC is present.
 *
 * <p>
 * That cache filter asks Spring MVC which of its handlers would serve each request before
 * the chain runs, so that MVC request matchers and CORS configured through Spring MVC can
 * reuse the answer. Crosswalk's chain uses plain path matchers and no CORS, and Spring
 * MVC does not serve the FHIR API, so every request paid for a lookup nothing read:
 * 1.2-4.2 % of each query's CPU samples in the benchmark's profiles.
 *
 * <p>
 * Spring Security swaps its chain's bean definition for a composite of the cache filter
 * and the original chain; this puts the original definition back, untouched. Should a
 * later Spring Security build the composite differently, the definition is left as it is
 * and {@code AuthenticationIT} fails on the chain's type.
 */
final class PlainSecurityFilterChain implements BeanFactoryPostProcessor {

	private static final String COMPOSITE = "WebMvcSecurityConfiguration$CompositeFilterChainProxy";

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!(beanFactory instanceof BeanDefinitionRegistry registry)
				|| !registry.containsBeanDefinition(BeanIds.SPRING_SECURITY_FILTER_CHAIN)) {
			return;
		}
		BeanDefinition composite = registry.getBeanDefinition(BeanIds.SPRING_SECURITY_FILTER_CHAIN);
		BeanDefinition original = original(composite);
		if (original != null) {
			registry.removeBeanDefinition(BeanIds.SPRING_SECURITY_FILTER_CHAIN);
			registry.registerBeanDefinition(BeanIds.SPRING_SECURITY_FILTER_CHAIN, original);
		}
	}

	/**
	 * The chain's own definition inside Spring Security's composite: the last of the
	 * composite's filters, the one that builds a {@link FilterChainProxy}.
	 * @param definition the registered definition of the chain
	 * @return the original definition, or null when the definition is not the composite
	 */
	static BeanDefinition original(BeanDefinition definition) {
		String type = definition.getBeanClassName();
		if (type == null || !type.endsWith(COMPOSITE)
				|| definition.getConstructorArgumentValues().getArgumentCount() != 1) {
			return null;
		}
		ValueHolder filters = definition.getConstructorArgumentValues().getIndexedArgumentValue(0, List.class);
		if (filters == null || !(filters.getValue() instanceof List<?> list) || list.size() != 2
				|| !(list.get(1) instanceof BeanDefinition chain)) {
			return null;
		}
		return chain;
	}

}
