package health.crosswalk.linkage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.TestIdentityProvider;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.Role;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hospital's {@code $everything} on its patient also shows the same person's records at
 * other hospitals, tagged with their source, within the caller's scopes, and no longer
 * once a steward unlinks them. Unlinked records elsewhere never show.
 */
class SharingIT extends CrosswalkIntegrationTest {

	private static final String SSN = "http://hl7.org/fhir/sid/us-ssn";

	private static final String UPI = "https://fhir.crosswalk.health/sid/upi";

	private TestHospital hospitalB;

	private IGenericClient a;

	private IGenericClient b;

	@BeforeEach
	void twoHospitals() {
		this.hospitalB = newHospital();
		this.a = client();
		this.b = client(this.hospitalB.key());
	}

	@Test
	void everythingIncludesLinkedRecordsUntilAStewardUnlinksThem() {
		String ssn = UUID.randomUUID().toString();
		IIdType atA = create(this.a, person(ssn, "Shared"));
		IIdType atB = create(this.b, person(ssn, "Shared"));
		IIdType observationB = this.b.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), new Reference(atB.getValue())))
			.execute()
			.getId()
			.toUnqualifiedVersionless();
		IIdType strangerB = create(this.b, person(UUID.randomUUID().toString(), "Stranger"));

		List<BundleEntryComponent> shared = shared(everything(this.a, atA));
		assertThat(shared).extracting((entry) -> entry.getResource().getIdElement().getIdPart())
			.contains(atB.getIdPart(), observationB.getIdPart())
			.doesNotContain(strangerB.getIdPart());
		assertThat(shared).allSatisfy((entry) -> assertThat(
				entry.getResource().getMeta().getTag(SharingHooks.SOURCE_HOSPITAL, this.hospitalB.slug()))
			.isNotNull());

		IGenericClient patientsOnly = client(
				TestIdentityProvider.get().token(hospital().slug(), "clinician", "user/Patient.rs"));
		assertThat(shared(everything(patientsOnly, atA))).extracting((entry) -> entry.getResource().fhirType())
			.containsOnly("Patient");

		Patient readAtA = this.a.read().resource(Patient.class).withId(atA).execute();
		assertThat(readAtA.getLink()).singleElement().satisfies((link) -> {
			assertThat(link.getType()).isEqualTo(Patient.LinkType.SEEALSO);
			assertThat(link.getOther().getIdentifier().getValue()).isEqualTo(atB.getIdPart());
			assertThat(link.getOther().getDisplay()).contains(this.hospitalB.slug());
		});
		readAtA.setActive(true);
		this.a.update().resource(readAtA).execute();
		assertThat(this.a.read().resource(Patient.class).withId(atA).execute().getLink())
			.as("sending the computed links back stores nothing")
			.hasSize(1);

		String steward = TestHospitals.networkKey(context(), Role.STEWARD);
		assertThat(new FhirHttp(serverUrl())
			.send("POST", "/admin/linkage/records/" + this.hospitalB.slug() + "/" + atB.getIdPart() + "/unlink",
					steward, "application/json", "{\"reason\":\"Not the same person\"}")
			.statusCode()).isEqualTo(200);
		assertThat(shared(everything(this.a, atA))).as("sharing stops at once").isEmpty();
		assertThat(this.a.read().resource(Patient.class).withId(atA).execute().getLink()).isEmpty();
	}

	@Test
	void sharedRecordsArePagedAfterTheLocalOnesAndNoneIsLeftOut() {
		String ssn = UUID.randomUUID().toString();
		IIdType atA = create(this.a, person(ssn, "Paged"));
		IIdType atB = create(this.b, person(ssn, "Paged"));
		List<String> local = new ArrayList<>(List.of(atA.getIdPart()));
		List<String> expected = new ArrayList<>(List.of(atB.getIdPart()));
		for (int i = 0; i < 24; i++) {
			local.add(newObservation(this.a, new Reference(atA.getValue())));
		}
		// Performed by a Practitioner, outside the patient's compartment: the pages
		// of B's records include it beside their matches.
		String practitioner = this.b.create()
			.resource(new Practitioner().addName(new HumanName().setFamily("Included")))
			.execute()
			.getId()
			.toUnqualifiedVersionless()
			.getValue();
		for (int i = 0; i < 23; i++) {
			Observation observation = (Observation) CoreResources.OBSERVATION.create(unique("obs"),
					new Reference(atB.getValue()));
			observation.addPerformer(new Reference(practitioner));
			expected.add(this.b.create().resource(observation).execute().getId().getIdPart());
		}

		List<Bundle> pages = new ArrayList<>();
		Bundle page = this.a.operation()
			.onInstance(atA)
			.named("$everything")
			.withParameter(Parameters.class, "_count", new IntegerType(10))
			.useHttpGet()
			.returnResourceType(Bundle.class)
			.execute();
		pages.add(page);
		while (page.getLink(Bundle.LINK_NEXT) != null && pages.size() < 20) {
			page = this.a.loadPage().next(page).execute();
			pages.add(page);
		}

		List<Resource> shared = pages.stream()
			.flatMap((each) -> shared(each).stream())
			.map(BundleEntryComponent::getResource)
			.toList();
		assertThat(shared).filteredOn((resource) -> !"Practitioner".equals(resource.fhirType()))
			.extracting((resource) -> resource.getIdElement().getIdPart())
			.as("each shared record once, none left out")
			.containsExactlyInAnyOrderElementsOf(expected);
		assertThat(shared).as("the included Practitioner comes along")
			.anyMatch((resource) -> "Practitioner".equals(resource.fhirType()));
		List<String> localIds = pages.stream()
			.flatMap((each) -> each.getEntry().stream())
			.filter((entry) -> entry.getResource()
				.getMeta()
				.getTag(SharingHooks.SOURCE_HOSPITAL, this.hospitalB.slug()) == null)
			.map((entry) -> entry.getResource().getIdElement().getIdPart())
			.toList();
		assertThat(localIds).containsExactlyInAnyOrderElementsOf(local);
		assertThat(pages).as("a page of shared records at a time, beside what they include")
			.allSatisfy((each) -> assertThat(shared(each))
				.filteredOn((entry) -> !"Practitioner".equals(entry.getResource().fhirType()))
				.hasSizeLessThanOrEqualTo(10));
		assertThat(pages).as("no total: the shared records are not counted ahead")
			.allSatisfy((each) -> assertThat(each.hasTotal()).isFalse());
		assertThat(pages).as("a next link names the patient once")
			.allSatisfy((each) -> assertThat(
					(each.getLink(Bundle.LINK_NEXT) == null) ? "" : each.getLink(Bundle.LINK_NEXT).getUrl())
				.satisfiesAnyOf((url) -> assertThat(url).doesNotContain(SharingHooks.SHARED_OF),
						(url) -> assertThat(url.split(SharingHooks.SHARED_OF + "=", -1)).hasSize(2)));
	}

	@Test
	void aSharingCursorTheServerDidNotWriteIsRefused() {
		IIdType atA = create(this.a, person(UUID.randomUUID().toString(), "Cursor"));

		FhirHttp.assertOutcome(new FhirHttp(serverUrl()).get(
				"/fhir/Patient/" + atA.getIdPart() + "/$everything?" + SharingHooks.SHARED_FROM + "=x.1",
				hospital().key()), 400, "CW-LINK-007");
	}

	@Test
	void searchByUpiFindsTheLinkedRecordsOfTheCallersOwnPatient() {
		String ssn = UUID.randomUUID().toString();
		IIdType atA = create(this.a, person(ssn, "Searched"));
		IIdType atB = create(this.b, person(ssn, "Searched"));
		String upi = this.a.read()
			.resource(Patient.class)
			.withId(atA)
			.execute()
			.getIdentifier()
			.stream()
			.filter((identifier) -> UPI.equals(identifier.getSystem()))
			.findFirst()
			.orElseThrow()
			.getValue();

		Bundle found = this.a.search()
			.forResource(Patient.class)
			.where(Patient.IDENTIFIER.exactly().systemAndCode(UPI, upi))
			.returnBundle(Bundle.class)
			.execute();
		assertThat(found.getEntry()).extracting((entry) -> entry.getResource().getIdElement().getIdPart())
			.containsExactlyInAnyOrder(atA.getIdPart(), atB.getIdPart());
		assertThat(shared(found)).extracting((entry) -> entry.getResource().getIdElement().getIdPart())
			.containsExactly(atB.getIdPart());

		IGenericClient stranger = client(newHospital().key());
		assertThat(stranger.search()
			.forResource(Patient.class)
			.where(Patient.IDENTIFIER.exactly().systemAndCode(UPI, upi))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).as("a UPI alone opens nothing").isEmpty();
	}

	private static Bundle everything(IGenericClient client, IIdType patient) {
		return client.operation()
			.onInstance(patient)
			.named("$everything")
			.withNoParameters(Parameters.class)
			.returnResourceType(Bundle.class)
			.execute();
	}

	private static List<BundleEntryComponent> shared(Bundle bundle) {
		return bundle.getEntry()
			.stream()
			.filter((entry) -> entry.getResource()
				.getMeta()
				.getTag()
				.stream()
				.anyMatch((tag) -> SharingHooks.SOURCE_HOSPITAL.equals(tag.getSystem())))
			.toList();
	}

	private static Patient person(String ssn, String given) {
		Patient patient = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		patient.getNameFirstRep().getGiven().clear();
		patient.getNameFirstRep().addGiven(given);
		patient.addIdentifier(new Identifier().setSystem(SSN).setValue(ssn));
		return patient;
	}

	private static IIdType create(IGenericClient client, Patient patient) {
		return client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
	}

}
