package health.crosswalk.server;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.api.BundleInclusionRule;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.api.BundleLinks;
import org.apache.commons.lang3.StringUtils;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.hapi.rest.server.R4BundleFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * HAPI's R4 bundle factory, but a search page is made from the page's resources without
 * first visiting every element of each one.
 *
 * <p>
 * HAPI's {@code R4BundleFactory} walks all the references of every resource on a page,
 * looking for a reference that holds a resource object which is not one of the resource's
 * contained resources, to add it as an include entry. A plain HAPI server's
 * {@code _include} works that way; HAPI JPA does not: what {@code _include},
 * {@code _revinclude} and {@code $everything} bring is loaded as resources of the page,
 * marked {@code include}, and a resource read from the database holds resource objects
 * only in references to its own contained resources, which the walk skips. So on this
 * server the walk adds nothing, and it took 2.5 to 15 % of a search's CPU samples in the
 * benchmark (run M). The entries are made as HAPI makes them: full URL, search mode and
 * score. Any other bundle (history, batch or transaction response), or a page whose
 * resources carry a transaction method, is left to HAPI's factory whole.
 */
final class SearchPageBundleFactory extends R4BundleFactory {

	private final FhirContext context;

	private String base;

	SearchPageBundleFactory(FhirContext context) {
		super(context);
		this.context = context;
	}

	@Override
	public void addRootPropertiesToBundle(String id, BundleLinks links, Integer total,
			IPrimitiveType<Date> lastUpdated) {
		this.base = links.serverBase;
		super.addRootPropertiesToBundle(id, links, total, lastUpdated);
	}

	@Override
	public void addResourcesToBundle(List<IBaseResource> resources, BundleTypeEnum type, String serverBase,
			BundleInclusionRule inclusion, Set<Include> includes) {
		if (type != BundleTypeEnum.SEARCHSET || resources.stream().anyMatch(SearchPageBundleFactory::hasMethod)) {
			super.addResourcesToBundle(resources, type, serverBase, inclusion, includes);
			return;
		}
		if (getResourceBundle() == null) {
			initializeWithBundleResource(new Bundle());
		}
		Bundle bundle = (Bundle) getResourceBundle();
		for (IBaseResource resource : resources) {
			BundleEntryComponent entry = bundle.addEntry().setResource((Resource) resource);
			fullUrl(resource, entry);
			BundleEntrySearchModeEnum mode = ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(resource);
			if (mode != null) {
				entry.getSearch().getModeElement().setValueAsString(mode.getCode());
			}
			BigDecimal score = ResourceMetadataKeyEnum.ENTRY_SEARCH_SCORE.get(resource);
			if (score != null) {
				entry.getSearch().getScoreElement().setValue(score);
			}
		}
	}

	private static boolean hasMethod(IBaseResource resource) {
		return ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.get(resource) != null;
	}

	/** The entry's full URL: the resource's own if absolute, else on the page's base. */
	private void fullUrl(IBaseResource resource, BundleEntryComponent entry) {
		IIdType id = resource.getIdElement();
		if (id.hasBaseUrl()) {
			entry.setFullUrl(id.toVersionless().getValue());
		}
		else if (StringUtils.isNotBlank(this.base) && id.hasIdPart()) {
			entry.setFullUrl(
					id.withServerBase(this.base, this.context.getResourceType(resource)).toVersionless().getValue());
		}
	}

}
