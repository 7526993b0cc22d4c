package health.crosswalk.results;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A count-only search, and a page of a search's results, are answered from memory
 * ({@link ResultCache}) until a write to the hospital's resources of the type searched
 * commits: every kind of write through the API shows in the next count or page at once, a
 * kept page's resources and includes are read as they are now, a write to another type or
 * another hospital leaves what was kept, and another server's write (its notification)
 * makes it stale. A patient's {@code $everything} is given the search HAPI stored for it
 * until a write to that hospital's resources commits.
 */
class ResultCacheIT extends CrosswalkIntegrationTest {

	private static final String LOINC = "http://loinc.org";

	private MeterRegistry meters;

	@BeforeEach
	void listening() {
		this.meters = context().getBean(MeterRegistry.class);
		ResultCache cache = context().getBean(ResultCache.class);
		await().atMost(Duration.ofSeconds(15)).until(cache::isListening);
	}

	@Test
	void everyWriteShowsInTheNextCountAndNothingElseMakesItStale() {
		TestHospital hospital = newHospital();
		IGenericClient client = client(hospital.key());
		Reference patient = newPatient(client);
		String first = create(client, patient, "8867-4");
		create(client, patient, "8867-4");
		assertThat(count(client, "8867-4")).isEqualTo(2);
		assertThat(hitAfter(() -> assertThat(count(client, "8867-4")).isEqualTo(2))).isTrue();

		create(client, patient, "8867-4");
		assertThat(count(client, "8867-4")).as("after a create").isEqualTo(3);

		Observation changed = client.read().resource(Observation.class).withId(first).execute();
		changed.setCode(new CodeableConcept(new Coding(LOINC, "8310-5", "Body temperature")));
		client.update().resource(changed).execute();
		assertThat(count(client, "8867-4")).as("after an update of its code").isEqualTo(2);
		assertThat(count(client, "8310-5")).isEqualTo(1);

		client.delete().resourceById(new IdType("Observation", first)).execute();
		assertThat(count(client, "8310-5")).as("after a delete").isZero();

		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		for (int i = 0; i < 2; i++) {
			transaction.addEntry()
				.setResource(CoreResources.observation(CoreResources.identifier(unique("obs")), patient, "8867-4",
						new Date()))
				.getRequest()
				.setMethod(HTTPVerb.POST)
				.setUrl("Observation");
		}
		client.transaction().withBundle(transaction).execute();
		assertThat(count(client, "8867-4")).as("after a transaction").isEqualTo(4);

		// Writes to another type, and to another hospital's Observations, leave it kept.
		newPatient(client);
		IGenericClient other = client(newHospital().key());
		create(other, newPatient(other), "8867-4");
		assertThat(hitAfter(() -> assertThat(count(client, "8867-4")).isEqualTo(4))).isTrue();
	}

	@Test
	void everyWriteShowsInTheNextPageOfResultsAndItsIncludesAreLoadedFresh() {
		IGenericClient client = client(newHospital().key());
		Reference patient = newPatient(client);
		String older = create(client, patient, "8867-4", 2);
		String newer = create(client, patient, "8867-4", 1);
		assertThat(page(client, patient)).containsExactly(newer, older);
		assertThat(hitAfter(() -> assertThat(page(client, patient)).containsExactly(newer, older))).isTrue();

		String newest = create(client, patient, "8867-4", 0);
		assertThat(page(client, patient)).as("after a create").containsExactly(newest, newer, older);

		Observation changed = client.read().resource(Observation.class).withId(newer).execute();
		changed.setCode(new CodeableConcept(new Coding(LOINC, "8310-5", "Body temperature")));
		client.update().resource(changed).execute();
		assertThat(page(client, patient)).as("after an update of its code").containsExactly(newest, older);

		client.delete().resourceById(new IdType("Observation", newest)).execute();
		assertThat(page(client, patient)).as("after a delete").containsExactly(older);

		// A kept page's resources and includes are read again: the Patient as it is now.
		included(client, patient);
		Patient person = client.read().resource(Patient.class).withId(patient.getReferenceElement()).execute();
		person.getNameFirstRep().setFamily("Renamed");
		client.update().resource(person).execute();
		List<String> families = new ArrayList<>();
		assertThat(hitAfter(() -> families.addAll(included(client, patient)))).isTrue();
		assertThat(families).containsExactly("Renamed");

		// A write to another hospital's Observations leaves the page kept.
		IGenericClient other = client(newHospital().key());
		create(other, newPatient(other), "8867-4", 0);
		assertThat(hitAfter(() -> assertThat(page(client, patient)).containsExactly(older))).isTrue();
	}

	@Test
	void everythingIsGivenItsStoredSearchUntilAWriteToItsHospitalCommits() {
		IGenericClient client = client(newHospital().key());
		Reference patient = newPatient(client);
		String first = create(client, patient, "8867-4");
		String second = create(client, patient, "8867-4");
		String self = patient.getReferenceElement().getIdPart();
		List<String> all = everything(client, patient, 10);
		assertThat(all).containsExactlyInAnyOrder(self, first, second);
		assertThat(hitAfter(() -> assertThat(everything(client, patient, 10)).isEqualTo(all))).isTrue();

		// A kept search's later pages are read through its links, by its hospital.
		List<String> paged = everything(client, patient, 2);
		assertThat(hitAfter(() -> assertThat(everything(client, patient, 2)).isEqualTo(paged))).isTrue();
		assertThat(paged).containsExactlyInAnyOrderElementsOf(all);

		String third = create(client, patient, "8310-5");
		assertThat(everything(client, patient, 10)).as("after a create").contains(third).hasSize(4);
		client.delete().resourceById(new IdType("Observation", first)).execute();
		assertThat(everything(client, patient, 10)).as("after a delete").doesNotContain(first).hasSize(3);

		// Any write in its hospital makes it stale, other hospitals' writes do not.
		everything(client, patient, 10);
		newPatient(client);
		assertThat(hitAfter(() -> everything(client, patient, 10))).as("after another patient's create").isFalse();
		assertThat(hitAfter(() -> everything(client, patient, 10))).isTrue();
		IGenericClient other = client(newHospital().key());
		create(other, newPatient(other), "8867-4");
		assertThat(hitAfter(() -> assertThat(everything(client, patient, 10)).hasSize(3))).isTrue();
	}

	@Test
	void anotherServersWriteMakesTheCountStaleOnceNotified() {
		TestHospital hospital = newHospital();
		IGenericClient client = client(hospital.key());
		create(client, newPatient(client), "8867-4");
		assertThat(count(client, "8867-4")).isEqualTo(1);
		assertThat(hitAfter(() -> count(client, "8867-4"))).isTrue();

		// What another server's write transaction sends as it commits.
		context().getBean(JdbcTemplate.class).query("SELECT pg_notify(?, ?)", (row) -> {
		}, ResultCache.CHANNEL, ResultCache.scope(hospital.partitionId(), "Observation"));
		await().atMost(Duration.ofSeconds(5)).until(() -> !hitAfter(() -> count(client, "8867-4")));
	}

	@Test
	void aWriteRaisesItsGenerationOnceThoughThisServerHearsItsNotification() {
		TestHospital hospital = newHospital();
		IGenericClient client = client(hospital.key());
		Reference patient = newPatient(client);
		ResultCache cache = context().getBean(ResultCache.class);
		ResultCache.Key observations = new ResultCache.Key(hospital.partitionId(), "Observation", "");
		long before = cache.stamp(observations).generation();

		create(client, patient, "8867-4");
		// PostgreSQL delivers notifications in commit order: once a marker sent after
		// the create has arrived, so has the create's own.
		ResultCache.Key marker = new ResultCache.Key(Integer.MAX_VALUE, unique("Marker"), "");
		context().getBean(JdbcTemplate.class).query("SELECT pg_notify(?, ?)", (row) -> {
		}, ResultCache.CHANNEL, marker.scope());
		await().atMost(Duration.ofSeconds(5)).until(() -> cache.stamp(marker).generation() == 1);

		assertThat(cache.stamp(observations).generation()).isEqualTo(before + 1);
	}

	private String create(IGenericClient client, Reference patient, String loinc) {
		return create(client, patient, loinc, 0);
	}

	private String create(IGenericClient client, Reference patient, String loinc, int daysAgo) {
		Date effective = Date.from(Instant.now().minus(Duration.ofDays(daysAgo)));
		return client.create()
			.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), patient, loinc, effective))
			.execute()
			.getId()
			.getIdPart();
	}

	private static String pageUrl(Reference patient) {
		return "Observation?patient=" + patient.getReferenceElement().getIdPart() + "&code=" + LOINC
				+ "|8867-4&_sort=-date";
	}

	/**
	 * The families of the patients included with a patient's heart rates.
	 */
	private static List<String> included(IGenericClient client, Reference patient) {
		return client.search()
			.byUrl(pageUrl(patient) + "&_include=Observation:patient")
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()
			.stream()
			.filter((entry) -> entry.getResource() instanceof Patient)
			.map((entry) -> ((Patient) entry.getResource()).getNameFirstRep().getFamily())
			.toList();
	}

	/**
	 * The ids of a patient's heart rates, newest first.
	 */
	private static List<String> page(IGenericClient client, Reference patient) {
		return client.search()
			.byUrl(pageUrl(patient))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()
			.stream()
			.map((entry) -> entry.getResource().getIdElement().getIdPart())
			.toList();
	}

	/**
	 * The ids of a patient's {@code $everything}, every page followed.
	 */
	private static List<String> everything(IGenericClient client, Reference patient, int pageSize) {
		Bundle page = client.operation()
			.onInstance(patient.getReferenceElement())
			.named("$everything")
			.withParameter(Parameters.class, "_count", new IntegerType(pageSize))
			.useHttpGet()
			.returnResourceType(Bundle.class)
			.execute();
		List<String> ids = new ArrayList<>();
		while (true) {
			page.getEntry().forEach((entry) -> ids.add(entry.getResource().getIdElement().getIdPart()));
			if (page.getLink(Bundle.LINK_NEXT) == null) {
				return ids;
			}
			page = client.loadPage().next(page).execute();
		}
	}

	private static int count(IGenericClient client, String loinc) {
		return client.search()
			.byUrl("Observation?code=" + LOINC + "|" + loinc + "&_summary=count")
			.returnBundle(Bundle.class)
			.execute()
			.getTotal();
	}

	/**
	 * Whether the results cache answered a hit while the step ran.
	 */
	private boolean hitAfter(Runnable step) {
		double before = hits();
		step.run();
		return hits() > before;
	}

	private double hits() {
		FunctionCounter hits = this.meters.find("cache.gets")
			.tag("cache", "results")
			.tag("result", "hit")
			.functionCounter();
		assertThat(hits).isNotNull();
		return hits.count();
	}

}
