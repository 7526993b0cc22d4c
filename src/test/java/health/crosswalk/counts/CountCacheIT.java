package health.crosswalk.counts;

import java.time.Duration;
import java.util.Date;

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
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A count-only search is answered from memory ({@link CountCache}) until a write to its
 * hospital's resources of its type commits: every kind of write through the API shows in
 * the next count at once, a write to another type or another hospital leaves the count
 * kept, and another server's write (its notification) makes it stale.
 */
class CountCacheIT extends CrosswalkIntegrationTest {

	private static final String LOINC = "http://loinc.org";

	private MeterRegistry meters;

	@BeforeEach
	void listening() {
		this.meters = context().getBean(MeterRegistry.class);
		CountCache cache = context().getBean(CountCache.class);
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
	void anotherServersWriteMakesTheCountStaleOnceNotified() {
		TestHospital hospital = newHospital();
		IGenericClient client = client(hospital.key());
		create(client, newPatient(client), "8867-4");
		assertThat(count(client, "8867-4")).isEqualTo(1);
		assertThat(hitAfter(() -> count(client, "8867-4"))).isTrue();

		// What another server's write transaction sends as it commits.
		context().getBean(JdbcTemplate.class).query("SELECT pg_notify(?, ?)", (row) -> {
		}, CountCache.CHANNEL, CountCache.scope(hospital.partitionId(), "Observation"));
		await().atMost(Duration.ofSeconds(5)).until(() -> !hitAfter(() -> count(client, "8867-4")));
	}

	private String create(IGenericClient client, Reference patient, String loinc) {
		return client.create()
			.resource(CoreResources.observation(CoreResources.identifier(unique("obs")), patient, loinc, new Date()))
			.execute()
			.getId()
			.getIdPart();
	}

	private static int count(IGenericClient client, String loinc) {
		return client.search()
			.byUrl("Observation?code=" + LOINC + "|" + loinc + "&_summary=count")
			.returnBundle(Bundle.class)
			.execute()
			.getTotal();
	}

	/**
	 * Whether the counts' cache answered a hit while the step ran.
	 */
	private boolean hitAfter(Runnable step) {
		double before = hits();
		step.run();
		return hits() > before;
	}

	private double hits() {
		FunctionCounter hits = this.meters.find("cache.gets")
			.tag("cache", "counts")
			.tag("result", "hit")
			.functionCounter();
		assertThat(hits).isNotNull();
		return hits.count();
	}

}
