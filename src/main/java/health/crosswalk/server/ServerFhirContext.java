package health.crosswalk.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.jpa.config.r4.FhirContextR4Config;
import ca.uhn.fhir.narrative.INarrativeGenerator;
import ca.uhn.fhir.rest.api.IVersionSpecificBundleFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;

/**
 * The server's one FHIR R4 context: HAPI JPA's primary context, made as HAPI makes it
 * ({@code FhirContextR4Config}), whose search pages are built by
 * {@link SearchPageBundleFactory}.
 *
 * <p>
 * A context takes its bundle factory from its FHIR version, and HAPI's
 * {@code RestfulServer} asks its context for one per page; no setting changes it. So
 * {@link #replaceHapis} has HAPI's bean definition {@value #HAPI_BEAN} supply this
 * subclass instead, before any bean is made: every bean that takes a {@link FhirContext}
 * gets this one, as it got HAPI's before. Start fails if HAPI stops defining that bean.
 */
final class ServerFhirContext extends FhirContext {

	static final String HAPI_BEAN = "primaryFhirContext";

	private ServerFhirContext() {
		super(FhirVersionEnum.R4);
	}

	@Override
	public IVersionSpecificBundleFactory newBundleFactory() {
		return new SearchPageBundleFactory(this);
	}

	/**
	 * A context configured as HAPI's bean method configures its own.
	 * @param narratives HAPI's optional narrative generator, or null
	 */
	static FhirContext create(INarrativeGenerator narratives) {
		FhirContext context = new ServerFhirContext();
		if (narratives != null) {
			context.setNarrativeGenerator(narratives);
		}
		return FhirContextR4Config.configureFhirContext(context);
	}

	/** Has HAPI's primary context bean made by {@link #create}. */
	static void replaceHapis(ConfigurableListableBeanFactory beans) {
		BeanDefinition hapis = beans.getBeanDefinition(HAPI_BEAN);
		if (!(hapis instanceof AbstractBeanDefinition definition)) {
			throw new IllegalStateException("HAPI's bean " + HAPI_BEAN + " is defined as a "
					+ hapis.getClass().getName() + ", which Crosswalk " + "cannot have supply its own FHIR context");
		}
		definition.setInstanceSupplier(() -> create(beans.getBeanProvider(INarrativeGenerator.class).getIfAvailable()));
	}

}
