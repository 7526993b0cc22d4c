package health.crosswalk.migration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the import tests start from: a hospital with two patients and three Observations
 * (a panel referring to one of them), exported with Bulk Data {@code $export}. The
 * command's test and {@code $import}'s import the same export.
 */
abstract class ExportedHospitalFixture extends CrosswalkIntegrationTest {

	static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * A hospital's records, as created.
	 *
	 * @param hospital the hospital
	 * @param first the first patient, whom the panel and the heart rate are about
	 * @param second the second patient
	 * @param heartRate the heart rate's id
	 * @param panel the panel's id, which refers to the heart rate
	 */
	record Source(TestHospital hospital, Reference first, Reference second, String heartRate, String panel) {
	}

	/** A new hospital with two patients and three Observations. */
	Source sourceHospital() {
		TestHospital hospital = newHospital();
		IGenericClient from = client(hospital.key());
		Reference first = newPatient(from);
		Reference second = newPatient(from);
		String heartRate = from.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), first))
			.execute()
			.getId()
			.getIdPart();
		from.create().resource(CoreResources.OBSERVATION.create(unique("obs"), second)).execute();
		Observation panel = (Observation) CoreResources.OBSERVATION.create(unique("obs"), first);
		panel.addHasMember(new Reference("Observation/" + heartRate));
		String panelId = from.create().resource(panel).execute().getId().getIdPart();
		return new Source(hospital, first, second, heartRate, panelId);
	}

	/**
	 * Checks that a hospital holds the source's records under new ids, with the same
	 * content and their references rewired to the new ids.
	 * @param source the source hospital's records
	 * @param to a client of the hospital imported into
	 * @param legacySource the name of the source the import used
	 * @return the copy of the first patient
	 */
	Patient assertCopied(Source source, IGenericClient to, String legacySource) {
		IGenericClient from = client(source.hospital().key());
		String first = source.first().getReferenceElement().getIdPart();
		Patient original = from.read().resource(Patient.class).withId(first).execute();
		Patient copy = LegacyIds.only(to, Patient.class, legacySource, "Patient/" + first);
		assertThat(copy.getIdElement().getIdPart()).isNotEqualTo(first);
		assertThat(copy.getNameFirstRep().getFamily()).isEqualTo(original.getNameFirstRep().getFamily());
		assertThat(copy.getBirthDate()).isEqualTo(original.getBirthDate());
		assertThat(copy.getIdentifier()).anySatisfy((identifier) -> assertThat(identifier.getValue())
			.isEqualTo(original.getIdentifierFirstRep().getValue()));
		Observation panelCopy = LegacyIds.only(to, Observation.class, legacySource, "Observation/" + source.panel());
		Observation heartRateCopy = LegacyIds.only(to, Observation.class, legacySource,
				"Observation/" + source.heartRate());
		assertThat(panelCopy.getSubject().getReferenceElement().getIdPart()).isEqualTo(copy.getIdElement().getIdPart());
		assertThat(panelCopy.getHasMemberFirstRep().getReferenceElement().getIdPart())
			.isEqualTo(heartRateCopy.getIdElement().getIdPart());
		assertThat(heartRateCopy.getValueQuantity().getValue()).isEqualByComparingTo(from.read()
			.resource(Observation.class)
			.withId(source.heartRate())
			.execute()
			.getValueQuantity()
			.getValue());
		return copy;
	}

	/**
	 * Checks that a second import of the source left the hospital as the first made it:
	 * the same counts, and the first patient's copy at the same version.
	 */
	static void assertUnchanged(IGenericClient to, String legacySource, Source source, Patient copy) {
		assertThat(count(to, "Patient")).isEqualTo(2);
		assertThat(count(to, "Observation")).isEqualTo(3);
		assertThat(LegacyIds
			.only(to, Patient.class, legacySource, "Patient/" + source.first().getReferenceElement().getIdPart())
			.getMeta()
			.getVersionId()).isEqualTo(copy.getMeta().getVersionId());
	}

	/**
	 * A Bulk Data export of a hospital's Patients and Observations.
	 * @param key the hospital's key
	 * @return the NDJSON of each type
	 */
	Map<String, String> export(String key) throws Exception {
		FhirHttp http = new FhirHttp(serverUrl());
		HttpResponse<String> kickOff = http.send("GET", "/fhir/$export?_type=Patient,Observation", key, null, null,
				"Prefer", "respond-async");
		assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
		HttpResponse<String> done = poll(http, path(kickOff.headers().firstValue("Content-Location").orElseThrow()),
				key);
		assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
		Map<String, String> files = new LinkedHashMap<>();
		HttpClient raw = HttpClient.newHttpClient();
		for (JsonNode output : JSON.readTree(done.body()).get("output")) {
			HttpResponse<String> file = raw.send(HttpRequest.newBuilder(URI.create(output.get("url").asText()))
				.header("Accept", "application/fhir+ndjson")
				.header("Authorization", "Bearer " + key)
				.build(), BodyHandlers.ofString());
			assertThat(file.statusCode()).isEqualTo(200);
			files.merge(output.get("type").asText(), file.body(), String::concat);
		}
		return files;
	}

	/**
	 * Polls an asynchronous request's status until it is no longer 202.
	 * @return the last answer
	 */
	static HttpResponse<String> poll(FhirHttp http, String status, String key) {
		List<HttpResponse<String>> last = new ArrayList<>();
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> response = http.get(status, key);
			last.add(0, response);
			if (response.statusCode() == 202) {
				assertThat(response.headers().firstValue("X-Progress")).isPresent();
			}
			return response.statusCode() != 202;
		});
		return last.get(0);
	}

	static String path(String url) {
		URI uri = URI.create(url);
		return uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	static int count(IGenericClient client, String type) {
		return client.search()
			.forResource(type)
			.summaryMode(SummaryEnum.COUNT)
			.returnBundle(Bundle.class)
			.execute()
			.getTotal();
	}

}
