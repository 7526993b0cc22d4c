package health.crosswalk.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.ManagedList;
import org.springframework.security.web.FilterChainProxy;

import static org.assertj.core.api.Assertions.assertThat;

class PlainSecurityFilterChainTest {

	private static final String CHAIN = "springSecurityFilterChain";

	@Test
	void putsBackTheChainSpringSecurityWrapped() {
		BeanDefinition chain = BeanDefinitionBuilder.rootBeanDefinition(FilterChainProxy.class).getBeanDefinition();
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerBeanDefinition(CHAIN, composite(List.of(cacheFilter(), chain)));

		new PlainSecurityFilterChain().postProcessBeanFactory(beans);

		assertThat(beans.getBeanDefinition(CHAIN)).isSameAs(chain);
	}

	@Test
	void leavesAnyOtherShapeAsItIs() {
		BeanDefinition chain = BeanDefinitionBuilder.rootBeanDefinition(FilterChainProxy.class).getBeanDefinition();
		BeanDefinition unknown = composite(List.of(cacheFilter(), cacheFilter(), chain));
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerBeanDefinition(CHAIN, unknown);
		new PlainSecurityFilterChain().postProcessBeanFactory(beans);
		assertThat(beans.getBeanDefinition(CHAIN)).isSameAs(unknown);

		DefaultListableBeanFactory plain = new DefaultListableBeanFactory();
		plain.registerBeanDefinition(CHAIN, chain);
		new PlainSecurityFilterChain().postProcessBeanFactory(plain);
		assertThat(plain.getBeanDefinition(CHAIN)).isSameAs(chain);

		new PlainSecurityFilterChain().postProcessBeanFactory(new DefaultListableBeanFactory());
	}

	private static BeanDefinition composite(List<BeanDefinition> filters) {
		ManagedList<BeanDefinition> list = new ManagedList<>();
		list.addAll(filters);
		return BeanDefinitionBuilder
			.rootBeanDefinition("org.springframework.security.config.annotation.web.configuration."
					+ "WebMvcSecurityConfiguration$CompositeFilterChainProxy")
			.addConstructorArgValue(list)
			.getBeanDefinition();
	}

	private static BeanDefinition cacheFilter() {
		return BeanDefinitionBuilder.rootBeanDefinition(Object.class).getBeanDefinition();
	}

}
