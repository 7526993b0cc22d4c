package health.crosswalk.server;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search on the core types: paging, sorting, _include and _revinclude, _summary=count and
 * Patient/$everything.
 */
class SearchIT extends CrosswalkIntegrationTest {

	private static final String HEART_RATE = "8867-4";

	private static final String BODY_TEMPERATURE = "8310-5";

	@Test
	void observationsPageAndSortByDateAcrossPages() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		for (int day = 0; day < 25; day++) {
			String code = (day % 5 < 3) ? HEART_RATE : BODY_TEMPERATURE;
			client.create()
				.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), patient, code,
						Date.from(now.minus(day, ChronoUnit.DAYS))))
				.execute();
		}

		Bundle page = client.search()
			.forResource(Observation.class)
			.where(Observation.SUBJECT.hasId(patient.getReference()))
			.sort()
			.descending(Observation.DATE)
			.count(10)
			.returnBundle(Bundle.class)
			.execute();
		List<Observation> all = new ArrayList<>();
		int pages = 0;
		while (page != null) {
			pages++;
			page.getEntry().forEach((entry) -> all.add((Observation) entry.getResource()));
			page = (page.getLink(Bundle.LINK_NEXT) != null) ? client.loadPage().next(page).execute() : null;
		}

		assertThat(pages).isEqualTo(3);
		assertThat(all).hasSize(25);
		assertThat(all).extracting(Resource::getIdElement).extracting(IIdType::getIdPart).doesNotHaveDuplicates();
		List<Date> dates = all.stream()
			.map((observation) -> observation.getEffectiveDateTimeType().getValue())
			.toList();
		assertThat(dates).isSortedAccordingTo((a, b) -> b.compareTo(a));

		Bundle count = client.search()
			.forResource(Observation.class)
			.where(Observation.SUBJECT.hasId(patient.getReference()))
			.and(Observation.CODE.exactly().systemAndCode("http://loinc.org", HEART_RATE))
			.summaryMode(SummaryEnum.COUNT)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(count.getTotal()).isEqualTo(15);
		assertThat(count.getEntry()).isEmpty();
	}

	@Test
	void includeAndRevincludeFollowReferencesBothWays() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		for (int i = 0; i < 3; i++) {
			client.create()
				.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), patient, HEART_RATE,
						new Date()))
				.execute();
		}
		client.create().resource(CoreResources.MEDICATION_REQUEST.create(unique("mr"), patient)).execute();
		client.create().resource(CoreResources.APPOINTMENT.create(unique("appt"), patient)).execute();

		Bundle observations = client.search()
			.forResource(Observation.class)
			.where(Observation.SUBJECT.hasId(patient.getReference()))
			.include(Observation.INCLUDE_SUBJECT)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(modes(observations, "Observation")).containsOnly(SearchEntryMode.MATCH).hasSize(3);
		assertThat(modes(observations, "Patient")).containsExactly(SearchEntryMode.INCLUDE);

		Bundle requests = client.search()
			.forResource(MedicationRequest.class)
			.where(MedicationRequest.SUBJECT.hasId(patient.getReference()))
			.include(MedicationRequest.INCLUDE_SUBJECT)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(modes(requests, "Patient")).containsExactly(SearchEntryMode.INCLUDE);

		Bundle appointments = client.search()
			.forResource(Appointment.class)
			.where(Appointment.PATIENT.hasId(patient.getReference()))
			.include(Appointment.INCLUDE_ACTOR)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(modes(appointments, "Patient")).containsExactly(SearchEntryMode.INCLUDE);

		Bundle patientWithEverythingPointingAtIt = client.search()
			.forResource(Patient.class)
			.where(Patient.RES_ID.exactly().code(patient.getReferenceElement().getIdPart()))
			.revInclude(Observation.INCLUDE_SUBJECT)
			.revInclude(MedicationRequest.INCLUDE_SUBJECT)
			.revInclude(Appointment.INCLUDE_ACTOR)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(modes(patientWithEverythingPointingAtIt, "Patient")).containsExactly(SearchEntryMode.MATCH);
		assertThat(modes(patientWithEverythingPointingAtIt, "Observation")).hasSize(3)
			.containsOnly(SearchEntryMode.INCLUDE);
		assertThat(modes(patientWithEverythingPointingAtIt, "MedicationRequest")).hasSize(1);
		assertThat(modes(patientWithEverythingPointingAtIt, "Appointment")).hasSize(1);

		// These pages were made by Crosswalk's factory, from the server's one context.
		assertThat(context().getBean(RestfulServer.class).getFhirContext()).isInstanceOf(ServerFhirContext.class)
			.isSameAs(context().getBean(FhirContext.class));
	}

	@Test
	void patientsPageAndSortByBirthDate() {
		IGenericClient client = client();
		String family = unique("Family").replace("-", "");
		for (int i = 0; i < 12; i++) {
			Patient patient = CoreResources.patient(CoreResources.identifier(unique("mrn")));
			patient.getNameFirstRep().setFamily(family);
			patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("19" + (50 + i) + "-01-0" + (1 + i % 9)));
			client.create().resource(patient).execute();
		}

		Bundle page = client.search()
			.forResource(Patient.class)
			.where(new StringClientParam("family").matchesExactly().value(family))
			.sort()
			.ascending(Patient.BIRTHDATE)
			.count(5)
			.returnBundle(Bundle.class)
			.execute();
		List<Date> birthDates = new ArrayList<>();
		int pages = 0;
		while (page != null) {
			pages++;
			page.getEntry().forEach((entry) -> birthDates.add(((Patient) entry.getResource()).getBirthDate()));
			page = (page.getLink(Bundle.LINK_NEXT) != null) ? client.loadPage().next(page).execute() : null;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(birthDates).hasSize(12).isSorted();
	}

	@Test
	void medicationRequestsByStatusAndAppointmentsByDate() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		for (String status : List.of("active", "active", "stopped")) {
			client.create()
				.resource(CoreResources.medicationRequest(CoreResources.identifier(unique("mr")), patient, status))
				.execute();
		}
		Instant now = Instant.now();
		for (int days : List.of(-10, 1, 5)) {
			client.create()
				.resource(CoreResources.appointment(CoreResources.identifier(unique("appt")), patient,
						Date.from(now.plus(days, ChronoUnit.DAYS))))
				.execute();
		}

		Bundle active = client.search()
			.forResource(MedicationRequest.class)
			.where(MedicationRequest.SUBJECT.hasId(patient.getReference()))
			.and(MedicationRequest.STATUS.exactly().code("active"))
			.returnBundle(Bundle.class)
			.execute();
		assertThat(active.getEntry()).hasSize(2);

		Bundle upcoming = client.search()
			.forResource(Appointment.class)
			.where(Appointment.PATIENT.hasId(patient.getReference()))
			.and(Appointment.DATE.afterOrEquals().day(Date.from(now)))
			.sort()
			.ascending(Appointment.DATE)
			.returnBundle(Bundle.class)
			.execute();
		List<Date> starts = upcoming.getEntry()
			.stream()
			.map((entry) -> ((Appointment) entry.getResource()).getStart())
			.toList();
		assertThat(starts).hasSize(2).isSorted();
	}

	@Test
	void everythingReturnsThePatientsCompartment() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		client.create().resource(CoreResources.OBSERVATION.create(unique("obs"), patient)).execute();
		client.create().resource(CoreResources.MEDICATION_REQUEST.create(unique("mr"), patient)).execute();
		client.create().resource(CoreResources.APPOINTMENT.create(unique("appt"), patient)).execute();
		Reference otherPatient = newPatient(client);
		client.create().resource(CoreResources.OBSERVATION.create(unique("obs"), otherPatient)).execute();

		Bundle everything = everything(client, patient);

		assertThat(everything.getEntry()).extracting((entry) -> entry.getResource().fhirType())
			.containsExactlyInAnyOrder("Patient", "Observation", "MedicationRequest", "Appointment");
		assertThat(everything.getEntry()).extracting((entry) -> entry.getResource().getIdElement().getIdPart())
			.doesNotContain(otherPatient.getReferenceElement().getIdPart());
	}

	@Test
	void everythingPagedWithTheDefaultPageSizeLeavesNothingOutAndRepeatsNothing() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		List<String> expected = new java.util.ArrayList<>(List.of(patient.getReferenceElement().getIdPart()));
		for (int i = 0; i < 45; i++) {
			expected.add(newObservation(client, patient));
		}

		Bundle page = everything(client, patient);
		// A page of the default size (20): the 46 entries take three.
		assertThat(page.getEntry()).hasSize(20);
		List<String> seen = new java.util.ArrayList<>();
		for (int pages = 1; pages <= 10; pages++) {
			page.getEntry().forEach((entry) -> seen.add(entry.getResource().getIdElement().getIdPart()));
			if (page.getLink(Bundle.LINK_NEXT) == null) {
				break;
			}
			page = client.loadPage().next(page).execute();
		}
		assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
	}

	/**
	 * The first page of a patient's {@code $everything}.
	 */
	private static Bundle everything(IGenericClient client, Reference patient) {
		return client.operation()
			.onInstance(patient.getReferenceElement())
			.named("$everything")
			.withNoParameters(Parameters.class)
			.returnResourceType(Bundle.class)
			.execute();
	}

	private static List<SearchEntryMode> modes(Bundle bundle, String type) {
		return bundle.getEntry()
			.stream()
			.filter((entry) -> entry.getResource().fhirType().equals(type))
			.map(BundleEntryComponent::getSearch)
			.map(Bundle.BundleEntrySearchComponent::getMode)
			.toList();
	}

	@Test
	void tagsAndProfilesStayWithTheResourceAndAreSearchable() {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		String tag = unique("tag");
		Observation observation = CoreResources.observation(CoreResources.identifier(unique("obs")), patient,
				HEART_RATE, new Date());
		observation.getMeta().addTag("urn:test:tags", tag, null);
		observation.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/heartrate");
		IIdType id = client.create().resource(observation).execute().getId();

		Observation read = client.read().resource(Observation.class).withId(id.toUnqualifiedVersionless()).execute();
		assertThat(read.getMeta().getTag()).anyMatch((coding) -> tag.equals(coding.getCode()));
		assertThat(read.getMeta().getProfile()).extracting((profile) -> profile.getValue())
			.contains("http://hl7.org/fhir/StructureDefinition/heartrate");
		Bundle byTag = client.search()
			.byUrl("Observation?_tag=urn:test:tags|" + tag)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(byTag.getEntry()).extracting((entry) -> entry.getResource().getIdElement().getIdPart())
			.containsExactly(id.getIdPart());
		Bundle byProfile = client.search()
			.byUrl("Observation?subject=" + patient.getReference()
					+ "&_profile=http://hl7.org/fhir/StructureDefinition/heartrate")
			.returnBundle(Bundle.class)
			.execute();
		assertThat(byProfile.getEntry()).hasSize(1);
	}

}
