package health.crosswalk.server;

import java.math.BigDecimal;
import java.util.ArrayList;
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
import ca.uhn.fhir.rest.api.IVersionSpecificBundleFactory;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.hapi.rest.server.R4BundleFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SearchPageBundleFactoryTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final String BASE = "http://crosswalk.test/fhir";

	private static final Set<Include> INCLUDES = Set.of(new Include("MedicationRequest:subject"));

	/**
	 * A page as HAPI JPA returns one: resources parsed from their stored text (so a
	 * reference to a contained resource holds it), matches with a score, an include, one
	 * resource named by an absolute URL.
	 */
	@Test
	void searchPagesAreHapisWithoutItsWalk() {
		List<IBaseResource> page = page();

		Bundle hapis = bundle(new R4BundleFactory(FHIR), page, BundleTypeEnum.SEARCHSET,
				BundleInclusionRule.BASED_ON_RESOURCE_PRESENCE);
		Bundle ours = bundle(new SearchPageBundleFactory(FHIR), page, BundleTypeEnum.SEARCHSET,
				BundleInclusionRule.BASED_ON_RESOURCE_PRESENCE);

		assertThat(json(ours)).isEqualTo(json(hapis));
		assertThat(ours.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl)
			.containsExactly(BASE + "/MedicationRequest/mr1", BASE + "/Patient/p1",
					"http://elsewhere.test/fhir/Observation/o1");
		assertThat(ours.getEntry()).extracting((entry) -> entry.getSearch().getMode().toCode())
			.containsExactly("match", "include", "match");
		assertThat(ours.getEntryFirstRep().getSearch().getScore()).isEqualByComparingTo("0.5");
	}

	@Test
	void otherBundlesAreHapis() {
		for (BundleTypeEnum type : List.of(BundleTypeEnum.HISTORY, BundleTypeEnum.TRANSACTION_RESPONSE)) {
			List<IBaseResource> page = page();
			Bundle hapis = bundle(new R4BundleFactory(FHIR), page, type, BundleInclusionRule.BASED_ON_INCLUDES);
			Bundle ours = bundle(new SearchPageBundleFactory(FHIR), page, type, BundleInclusionRule.BASED_ON_INCLUDES);

			assertThat(json(ours)).as("%s", type).isEqualTo(json(hapis));
			assertThat(ours.getEntryFirstRep().getResponse().getStatus()).as("%s", type).isEqualTo("200 OK");
		}
	}

	/**
	 * What is given up: a resource object put into a reference by the code that answered
	 * the search, as a plain server's {@code _include} does, is not made an entry. HAPI
	 * JPA never answers that way.
	 */
	@Test
	void aResourceHeldByAReferenceIsNotAddedToASearchPage() {
		Patient patient = new Patient();
		patient.setId("Patient/p9");
		Observation observation = new Observation();
		observation.setId("Observation/o9");
		observation.getSubject().setResource(patient);

		Bundle hapis = bundle(new R4BundleFactory(FHIR), List.of(observation), BundleTypeEnum.SEARCHSET,
				BundleInclusionRule.BASED_ON_RESOURCE_PRESENCE);
		Bundle ours = bundle(new SearchPageBundleFactory(FHIR), List.of(observation), BundleTypeEnum.SEARCHSET,
				BundleInclusionRule.BASED_ON_RESOURCE_PRESENCE);

		assertThat(hapis.getEntry()).hasSize(2);
		assertThat(ours.getEntry()).hasSize(1);
	}

	private static List<IBaseResource> page() {
		IBaseResource request = FHIR.newJsonParser().parseResource("""
				{"resourceType": "MedicationRequest", "id": "mr1", "meta": {"versionId": "3"},
				 "contained": [{"resourceType": "Medication", "id": "med",
				   "code": {"text": "amoxicillin"}}],
				 "status": "active", "intent": "order",
				 "medicationReference": {"reference": "#med"},
				 "subject": {"reference": "Patient/p1"}}
				""");
		IBaseResource patient = FHIR.newJsonParser().parseResource("""
				{"resourceType": "Patient", "id": "p1", "meta": {"versionId": "1"},
				 "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Ann</div>"},
				 "managingOrganization": {"reference": "Organization/o"}}
				""");
		Observation elsewhere = new Observation();
		elsewhere.setId("http://elsewhere.test/fhir/Observation/o1/_history/2");
		elsewhere.getSubject().setReference("Patient/p1");
		request.setId("MedicationRequest/mr1/_history/3");
		patient.setId("Patient/p1/_history/1");
		ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(request, BundleEntrySearchModeEnum.MATCH);
		ResourceMetadataKeyEnum.ENTRY_SEARCH_SCORE.put(request, new BigDecimal("0.5"));
		ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(patient, BundleEntrySearchModeEnum.INCLUDE);
		ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(elsewhere, BundleEntrySearchModeEnum.MATCH);
		return List.of(request, patient, elsewhere);
	}

	private static Bundle bundle(IVersionSpecificBundleFactory factory, List<IBaseResource> resources,
			BundleTypeEnum type, BundleInclusionRule inclusion) {
		BundleLinks links = new BundleLinks(BASE, INCLUDES, false, type).setSelf(BASE + "/MedicationRequest?x=y")
			.setNext(BASE + "?_getpages=abc");
		factory.addRootPropertiesToBundle("page-1", links, 3, new InstantType(new Date(1_700_000_000_000L)));
		factory.addResourcesToBundle(new ArrayList<>(resources), type, BASE, inclusion, INCLUDES);
		return (Bundle) factory.getResourceBundle();
	}

	private static String json(Bundle bundle) {
		return FHIR.newJsonParser().encodeResourceToString(bundle);
	}

}
