package health.crosswalk.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.jpa.config.r4.FhirContextR4Config;
import ca.uhn.fhir.narrative.INarrativeGenerator;
import ca.uhn.fhir.rest.api.IVersionSpecificBundleFactory;
import ca.uhn.fhir.util.FhirTerser;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;

/**
 * The server's one FHIR R4 context: HAPI JPA's primary context, made as HAPI makes it
 * ({@code FhirContextR4Config}), but whose search pages are built by
 * {@link SearchPageBundleFactory}, whose parsers do not look for resources to contain as
 * they encode, and whose terser finds a resource's references by a leaner walk
 * ({@link ServerTerser}).
 *
 * <p>
 * The first two rest on one fact: no code of this server puts a resource object into a
 * reference; references are written as text. The only references that hold one are those
 * HAPI's parser links as it reads: to the resource's own contained resources, and between
 * the entries of a Bundle, each with its id. Before it encodes a resource, and each
 * entry's resource of a Bundle, HAPI's parser walks every reference in it to contain a
 * referenced resource that has no id: its documented convenience
 * {@code setAutoContainReferenceTargetsWithNoId}, which it says costs time when many
 * resources are encoded. Here that walk never finds one; in the benchmark (run L) it took
 * 2 to 12 % of the CPU samples of a search that answers a page (11 % for a page of 50
 * Observations), 2 % of a read's and of the ingest's. It is off. Contained resources in
 * {@code contained} are written as before.
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

	/** For {@link ServerTerser}: the paths of each compartment's search parameters. */
	private final Map<String, List<ServerTerser.CompartmentPath>> compartmentPaths = new ConcurrentHashMap<>();

	private ServerFhirContext() {
		super(FhirVersionEnum.R4);
	}

	@Override
	public IVersionSpecificBundleFactory newBundleFactory() {
		return new SearchPageBundleFactory(this);
	}

	@Override
	public FhirTerser newTerser() {
		return new ServerTerser(this, this.compartmentPaths);
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
		context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
		return FhirContextR4Config.configureFhirContext(context);
	}

	/** Has HAPI's primary context bean made by {@link #create}. */
	static void replaceHapis(ConfigurableListableBeanFactory beans) {
		BeanDefinition hapis = beans.getBeanDefinition(HAPI_BEAN);
		if (!(hapis instanceof AbstractBeanDefinition definition)) {
			throw new IllegalStateException("HAPI's bean " + HAPI_BEAN + " is defined as a "
					+ hapis.getClass().getName() + ": Crosswalk cannot have it supply the server's FHIR context");
		}
		definition.setInstanceSupplier(() -> create(beans.getBeanProvider(INarrativeGenerator.class).getIfAvailable()));
	}

}
