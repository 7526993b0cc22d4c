package health.crosswalk.server;

import java.net.http.HttpResponse;
import java.util.List;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Create, read, vread, update, history, conditional writes and delete for each core
 * resource type.
 */
class CoreResourceLifecycleIT extends CrosswalkIntegrationTest {

	private static final TokenClientParam IDENTIFIER = new TokenClientParam("identifier");

	@ParameterizedTest
	@EnumSource(CoreResources.class)
	void lifecycle(CoreResources kind) {
		IGenericClient client = client();
		Reference patient = newPatient(client);
		String identifier = unique("lifecycle");

		MethodOutcome created = client.create().resource(kind.create(identifier, patient)).execute();
		IIdType id = created.getId();
		assertThat(created.getCreated()).isTrue();
		assertThat(id.getResourceType()).isEqualTo(kind.type());
		assertThat(id.getVersionIdPart()).isEqualTo("1");
		assertThat(id.getIdPart()).as("server-assigned ids are UUIDs")
			.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

		DomainResource read = read(client, kind, id.getIdPart());
		assertThat(read.getMeta().getVersionId()).isEqualTo("1");
		assertThat(read.getLanguage()).isNull();

		read.setLanguage("en-GB");
		MethodOutcome updated = client.update().resource(read).execute();
		assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
		assertThat(read(client, kind, id.getIdPart()).getLanguage()).isEqualTo("en-GB");

		DomainResource version1 = (DomainResource) client.read()
			.resource(kind.type())
			.withIdAndVersion(id.getIdPart(), "1")
			.execute();
		assertThat(version1.getLanguage()).as("vread returns the first version unchanged").isNull();

		MethodOutcome conditionalCreate = client.create()
			.resource(kind.create(identifier, patient))
			.conditional()
			.where(IDENTIFIER.exactly().systemAndCode(CoreResources.IDENTIFIER_SYSTEM, identifier))
			.execute();
		assertThat(conditionalCreate.getId().getIdPart()).as("conditional create matches the existing resource")
			.isEqualTo(id.getIdPart());
		assertThat(conditionalCreate.getCreated()).isNotEqualTo(Boolean.TRUE);

		DomainResource replacement = kind.create(identifier, patient);
		replacement.setLanguage("fr");
		MethodOutcome conditionalUpdate = client.update()
			.resource(replacement)
			.conditional()
			.where(IDENTIFIER.exactly().systemAndCode(CoreResources.IDENTIFIER_SYSTEM, identifier))
			.execute();
		assertThat(conditionalUpdate.getId().getIdPart()).isEqualTo(id.getIdPart());
		assertThat(conditionalUpdate.getId().getVersionIdPart()).isEqualTo("3");

		String otherIdentifier = unique("lifecycle");
		MethodOutcome conditionalUpsert = client.update()
			.resource(kind.create(otherIdentifier, patient))
			.conditional()
			.where(IDENTIFIER.exactly().systemAndCode(CoreResources.IDENTIFIER_SYSTEM, otherIdentifier))
			.execute();
		assertThat(conditionalUpsert.getCreated()).as("conditional update with no match creates").isTrue();
		assertThat(conditionalUpsert.getId().getIdPart()).isNotEqualTo(id.getIdPart());

		client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
		assertThatExceptionOfType(ResourceGoneException.class).isThrownBy(() -> read(client, kind, id.getIdPart()));

		Bundle history = client.history()
			.onInstance(id.toUnqualifiedVersionless())
			.returnBundle(Bundle.class)
			.execute();
		assertThat(history.getEntry()).as("history keeps every version and the deletion").hasSize(4);
		assertThat(history.getEntry().get(0).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);

		Bundle typeHistory = client.history().onType(kind.type()).returnBundle(Bundle.class).count(200).execute();
		assertThat(typeHistory.getEntry()).extracting((entry) -> entry.getFullUrl())
			.anyMatch((url) -> url.contains(id.getIdPart()));
	}

	private static DomainResource read(IGenericClient client, CoreResources kind, String id) {
		return (DomainResource) client.read().resource(kind.type()).withId(id).execute();
	}

	@Test
	void metaSourceIsAnAbsoluteUriAndTheCreateAndTheReadAgree() {
		FhirHttp http = new FhirHttp(serverUrl());
		String slug = hospital().slug();
		for (String sent : List.of("src-4711", "a-request-id-far-longer-than-sixteen-characters")) {
			HttpResponse<String> created = http.send("POST", "/fhir/Patient", hospital().key(), "application/fhir+json",
					CoreResources.patientJson("Sourced", ""), "X-Request-ID", sent);
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			String used = created.headers().firstValue("X-Request-ID").orElseThrow();
			assertThat(used).hasSizeLessThanOrEqualTo(16);
			if (sent.length() <= 16) {
				assertThat(used).isEqualTo(sent);
			}
			Patient answered = FHIR.newJsonParser().parseResource(Patient.class, created.body());
			assertThat(answered.getMeta().getSource()).isEqualTo("urn:crosswalk:hospital:" + slug + "#" + used);
			Patient read = client().read().resource(Patient.class).withId(answered.getIdPart()).execute();
			assertThat(read.getMeta().getSource()).as("the read of the version created")
				.isEqualTo(answered.getMeta().getSource());
		}
		Patient own = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		own.getMeta().setSource("https://ehr.example.org/fhir");
		String id = client().create().resource(own).execute().getId().getIdPart();
		assertThat(client().read().resource(Patient.class).withId(id).execute().getMeta().getSource())
			.as("a source the client names is kept")
			.startsWith("https://ehr.example.org/fhir#");
	}

}
