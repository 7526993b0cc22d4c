package health.crosswalk.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import health.crosswalk.ProfileExamples;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.Test;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's terser finds what HAPI's finds, in the same order, with the same paths and
 * owners.
 */
class ServerTerserTest {

	private static final FhirContext SERVERS = ServerFhirContext.create(null);

	private static final FhirTerser HAPIS = new FhirTerser(SERVERS);

	/** A resource with what the walk must get right: contained, extensions, empties. */
	private static final String OBSERVATION = """
			{"resourceType": "Observation", "id": "o1",
			 "contained": [{"resourceType": "Patient", "id": "p",
			   "managingOrganization": {"reference": "Organization/org"},
			   "generalPractitioner": [{"reference": "#pr"}]},
			  {"resourceType": "Practitioner", "id": "pr", "identifier": [{"system": "urn:x", "value": "1",
			   "assigner": {"reference": "Organization/a"}}]}],
			 "extension": [{"url": "urn:ext", "valueReference": {"reference": "Device/d"}},
			  {"url": "urn:nested", "extension": [{"url": "inner", "valueReference": {"reference": "Location/l"}}]}],
			 "status": "final", "code": {"text": "x"},
			 "subject": {"reference": "#p"},
			 "performer": [{"reference": "Practitioner/1"}, {"display": "only a display"},
			  {"reference": "Organization?identifier=urn:org|1"}],
			 "hasMember": [{"reference": "urn:uuid:4b5b0c1e-7a5e-4f47-9b1e-0f1e2d3c4b5a"}],
			 "component": [{"code": {"text": "c"}, "valueString": "v",
			   "extension": [{"url": "urn:c", "valueCanonical": "http://example.org/Questionnaire/q"}]}]}
			""";

	@Test
	void findsWhatHapiFindsInAParsedResource() {
		assertSame(SERVERS.newJsonParser().parseResource(OBSERVATION));
	}

	@Test
	void findsWhatHapiFindsInTheProfilesExamples() {
		for (IBaseResource example : ProfileExamples.parsed(SERVERS)) {
			assertSame(example);
		}
	}

	/** Empty elements, and resources held by references as code may put them. */
	@Test
	void findsWhatHapiFindsInABuiltResource() {
		Observation observation = new Observation();
		observation.setSubject(new Reference());
		observation.addIdentifier(new Identifier().setAssigner(new Reference()));
		observation.addExtension(new Extension("urn:empty"));
		Patient patient = new Patient();
		patient.setManagingOrganization(new Reference(new Organization().setName("no id")));
		patient.addGeneralPractitioner(new Reference(observation));
		Organization withId = new Organization();
		withId.setId("Organization/kept");
		withId.setPartOf(new Reference("Organization/parent"));
		patient.addLink().setOther(new Reference(withId));
		// A cycle through references: the observation's subject holds the patient that
		// holds the observation.
		observation.getSubject().setResource(patient);
		Reference performer = new Reference("Practitioner/p");
		performer.setResource(withId);
		observation.addPerformer(performer);

		List<ResourceReferenceInfo> references = assertSame(observation);
		assertThat(references).extracting(ResourceReferenceInfo::getName)
			.containsExactly("subject", "generalPractitioner", "managingOrganization", "link.other", "performer");
	}

	/**
	 * Compartment owners come in HAPI's order, a path that names a type keeping only that
	 * type.
	 */
	@Test
	void findsTheCompartmentOwnersHapiFinds() {
		Provenance provenance = new Provenance();
		provenance.addTarget(new Reference("Encounter/e1"));
		provenance.addTarget(new Reference("Patient/p1"));
		provenance.addTarget(new Reference("Patient/p1/_history/2"));
		provenance.addAgent().setWho(new Reference("Practitioner/x"));
		assertSame(provenance);
		assertThat(ServerTerserTest
			.ids(SERVERS.newTerser().getCompartmentOwnersForResource("Patient", provenance, (Set<String>) null)))
			.containsExactly("Patient/p1", "Encounter/e1");
	}

	/** A resource held directly (a Bundle's entries) is returned but not gone into. */
	@Test
	void findsWhatHapiFindsInABundle() {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		bundle.addEntry().setResource(SERVERS.newJsonParser().parseResource(Observation.class, OBSERVATION));
		bundle.addEntry().setResource(new Patient().setManagingOrganization(new Reference("Organization/o")));
		bundle.addEntry();
		assertSame(bundle);
		assertThat(SERVERS.newTerser().getAllPopulatedChildElementsOfType(bundle, IBaseResource.class)).hasSize(3);
	}

	/**
	 * Asserts both tersers find the same references, elements of a few types and
	 * compartment owners; {@code TerserDifferentialIT} asks it of a Synthea feed.
	 * @return the references found
	 */
	static List<ResourceReferenceInfo> assertSame(IBaseResource resource) {
		FhirTerser servers = SERVERS.newTerser();
		assertThat(servers).isInstanceOf(ServerTerser.class);

		List<ResourceReferenceInfo> found = servers.getAllResourceReferences(resource);
		List<ResourceReferenceInfo> expected = HAPIS.getAllResourceReferences(resource);
		assertThat(describe(found)).as(resource.fhirType()).isEqualTo(describe(expected));
		for (int i = 0; i < found.size(); i++) {
			assertThat(found.get(i).getResourceReference()).isSameAs(expected.get(i).getResourceReference());
		}
		for (Class<? extends IBase> type : List.of(IBaseReference.class, UriType.class, CanonicalType.class,
				IPrimitiveType.class, IBaseResource.class, Extension.class)) {
			List<? extends IBase> elements = servers.getAllPopulatedChildElementsOfType(resource, type);
			List<? extends IBase> hapis = HAPIS.getAllPopulatedChildElementsOfType(resource, type);
			assertThat(elements).as(type.getSimpleName()).hasSameSizeAs(hapis);
			for (int i = 0; i < elements.size(); i++) {
				assertThat(elements.get(i)).isSameAs(hapis.get(i));
			}
		}
		assertThat(ids(servers.getCompartmentOwnersForResource("Patient", resource, (Set<String>) null)))
			.isEqualTo(ids(HAPIS.getCompartmentOwnersForResource("Patient", resource, (Set<String>) null)));
		return found;
	}

	static List<String> ids(List<IIdType> ids) {
		return ids.stream().map(IIdType::getValue).toList();
	}

	private static List<String> describe(List<ResourceReferenceInfo> references) {
		List<String> described = new ArrayList<>();
		for (ResourceReferenceInfo reference : references) {
			described.add(ReflectionTestUtils.getField(reference, "myOwningResource") + " " + reference.getName() + " "
					+ reference.getResourceReference().getReferenceElement().getValue());
		}
		return described;
	}

}
