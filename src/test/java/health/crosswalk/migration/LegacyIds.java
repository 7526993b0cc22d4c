package health.crosswalk.migration;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finds what an import wrote by the legacy id it kept.
 */
final class LegacyIds {

	private LegacyIds() {
	}

	/**
	 * The one resource of a type carrying a legacy id.
	 * @param client a client of the hospital imported into
	 * @param type the resource type
	 * @param source the import's source name
	 * @param legacyId the id in the source
	 * @return the resource
	 */
	static <T extends IBaseResource> T only(IGenericClient client, Class<T> type, String source, String legacyId) {
		Bundle found = client.search()
			.forResource(type)
			.where(Patient.IDENTIFIER.exactly().systemAndCode(FhirImport.LEGACY_SYSTEM + source, legacyId))
			.returnBundle(Bundle.class)
			.execute();
		assertThat(found.getEntry()).as(legacyId).hasSize(1);
		return type.cast(found.getEntryFirstRep().getResource());
	}

}
