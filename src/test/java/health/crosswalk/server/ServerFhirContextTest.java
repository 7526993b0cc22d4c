package health.crosswalk.server;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerFhirContextTest {

	private static final FhirContext HAPIS = FhirContext.forR4Cached();

	private static final FhirContext SERVERS = ServerFhirContext.create(null);

	/**
	 * A transaction as a client sends one: entries referring to each other, a contained
	 * resource.
	 */
	private static final String TRANSACTION = """
			{"resourceType": "Bundle", "type": "transaction", "entry": [
			 {"fullUrl": "urn:uuid:9b1c5d4e-0d8e-4c59-9b0a-3f1f7d2a6c11",
			  "resource": {"resourceType": "Patient", "identifier": [{"system": "urn:mrn", "value": "1"}],
			   "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Ann</div>"}},
			  "request": {"method": "POST", "url": "Patient"}},
			 {"fullUrl": "urn:uuid:6f0a2a83-3c4e-4f0e-8d1e-2b7c8e9f0a12",
			  "resource": {"resourceType": "MedicationRequest",
			   "contained": [{"resourceType": "Medication", "id": "med", "code": {"text": "amoxicillin"}}],
			   "status": "active", "intent": "order", "medicationReference": {"reference": "#med"},
			   "subject": {"reference": "urn:uuid:9b1c5d4e-0d8e-4c59-9b0a-3f1f7d2a6c11"}},
			  "request": {"method": "POST", "url": "MedicationRequest"}}]}
			""";

	@Test
	void configuredAsHapisAndMakesSearchPages() {
		assertThat(SERVERS.newBundleFactory()).isInstanceOf(SearchPageBundleFactory.class);
		assertThat(SERVERS.getParserOptions().getDontStripVersionsFromReferencesAtPaths())
			.containsExactly("AuditEvent.entity.what");
		assertThat(SERVERS.getParserOptions().isAutoContainReferenceTargetsWithNoId()).isFalse();
	}

	/** Whatever a client sends is written back as HAPI's default parser writes it. */
	@Test
	void parsedResourcesAreEncodedAsHapiEncodesThem() {
		for (FhirContext reader : new FhirContext[] { HAPIS, SERVERS }) {
			IBaseResource bundle = reader.newJsonParser().parseResource(TRANSACTION);
			String hapis = HAPIS.newJsonParser().encodeResourceToString(bundle);
			String servers = SERVERS.newJsonParser().encodeResourceToString(bundle);

			assertThat(servers).isEqualTo(hapis).contains("\"contained\":[{\"resourceType\":\"Medication\"");
		}
	}

	/**
	 * What is given up: a resource without an id put into a reference by code is not
	 * contained when encoded. No code of this server does that.
	 */
	@Test
	void aResourceWithoutIdHeldByAReferenceIsNotContained() {
		// A new one each time: HAPI's parser contains it by changing the resource.
		assertThat(HAPIS.newJsonParser().encodeResourceToString(holdingAMedication())).contains("\"contained\"");
		assertThat(SERVERS.newJsonParser().encodeResourceToString(holdingAMedication()))
			.doesNotContain("\"contained\"");
	}

	private static MedicationRequest holdingAMedication() {
		MedicationRequest request = new MedicationRequest();
		request.getMedicationReference().setResource(new Medication());
		return request;
	}

}
