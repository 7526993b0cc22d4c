package health.crosswalk.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.TestIdentityProvider;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Hospital B cannot see or touch hospital A's data through any path. Reads of A's ids
 * answer 404, exactly as for ids that never existed, so existence does not leak.
 */
class IsolationIT extends CrosswalkIntegrationTest {

	private static final String NATIONAL_ID = "urn:oid:2.16.840.1.113883.4.1";

	private TestHospital hospitalA;

	private IGenericClient a;

	private IGenericClient b;

	private String family;

	private String nationalId;

	private IIdType patientA;

	private IIdType observationA;

	@BeforeEach
	void twoHospitals() {
		this.hospitalA = hospital();
		this.a = client();
		this.b = client(newHospital().key());
		this.family = "Iso" + UUID.randomUUID().toString().replace("-", "");
		this.nationalId = UUID.randomUUID().toString();
		Patient patient = CoreResources.patient(new Identifier().setSystem(this.hospitalA.mrnSystem()).setValue("A-1"));
		patient.addIdentifier().setSystem(NATIONAL_ID).setValue(this.nationalId);
		patient.getNameFirstRep().setFamily(this.family);
		this.patientA = this.a.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		patient.setId(this.patientA);
		patient.setActive(true);
		this.a.update().resource(patient).execute();
		Reference subject = new Reference(this.patientA.getValue());
		this.observationA = this.a.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), subject))
			.execute()
			.getId()
			.toUnqualifiedVersionless();
		this.a.create().resource(CoreResources.OBSERVATION.create(unique("obs"), subject)).execute();
		this.a.create().resource(CoreResources.OBSERVATION.create(unique("obs"), subject)).execute();
		this.a.create().resource(CoreResources.MEDICATION_REQUEST.create(unique("mr"), subject)).execute();
		this.a.create().resource(CoreResources.APPOINTMENT.create(unique("appt"), subject)).execute();
	}

	@Test
	void readAndVreadAnswer404LikeAnIdThatNeverExisted() {
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.b.read().resource(Patient.class).withId(this.patientA).execute());
		assertThatExceptionOfType(ResourceNotFoundException.class).isThrownBy(
				() -> this.b.read().resource(Patient.class).withIdAndVersion(this.patientA.getIdPart(), "1").execute());
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.b.read().resource(Observation.class).withId(this.observationA).execute());
		assertThatExceptionOfType(ResourceNotFoundException.class).isThrownBy(
				() -> this.b.read().resource(Organization.class).withId(this.hospitalA.organizationId()).execute());

		ResourceNotFoundException other = catchThrowableOfType(
				() -> this.b.read().resource(Patient.class).withId(this.patientA).execute(),
				ResourceNotFoundException.class);
		ResourceNotFoundException never = catchThrowableOfType(
				() -> this.b.read().resource(Patient.class).withId(UUID.randomUUID().toString()).execute(),
				ResourceNotFoundException.class);
		assertThat(other.getStatusCode()).isEqualTo(never.getStatusCode());
		assertThat(this.a.read().resource(Patient.class).withId(this.patientA).execute().getIdPart())
			.isEqualTo(this.patientA.getIdPart());
	}

	@Test
	void clinicianTokensOfAnotherHospitalSeeNothingEither() {
		TestHospital other = newHospital();
		IGenericClient clinician = client(
				TestIdentityProvider.get().token(other.slug(), "clinician", "openid user/*.cruds"));
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> clinician.read().resource(Patient.class).withId(this.patientA).execute());
		assertThat(clinician.search()
			.forResource(Observation.class)
			.where(Observation.CODE.exactly().systemAndCode("http://loinc.org", "8867-4"))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).isEmpty();
		IGenericClient ownClinician = client(
				TestIdentityProvider.get().token(this.hospitalA.slug(), "clinician", "openid user/*.rs"));
		assertThat(ownClinician.read().resource(Patient.class).withId(this.patientA).execute().getIdPart())
			.isEqualTo(this.patientA.getIdPart());
	}

	@Test
	void searchesFindNothingOfTheOtherHospital() {
		assertThat(this.b.search()
			.forResource(Patient.class)
			.where(new StringClientParam("family").matchesExactly().value(this.family))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).isEmpty();
		assertThat(this.b.search()
			.forResource(Patient.class)
			.where(Patient.IDENTIFIER.exactly().systemAndCode(NATIONAL_ID, this.nationalId))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).isEmpty();
		assertThat(this.b.search()
			.forResource(Patient.class)
			.where(Patient.RES_ID.exactly().code(this.patientA.getIdPart()))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).isEmpty();
		assertThat(this.a.search()
			.forResource(Patient.class)
			.where(new StringClientParam("family").matchesExactly().value(this.family))
			.returnBundle(Bundle.class)
			.execute()
			.getEntry()).as("the owner finds it").hasSize(1);
	}

	@Test
	void chainedAndHasSearchesFindNothing() {
		assertThat(searchUrl(this.b, "Observation?subject.family=" + this.family)).isEmpty();
		assertThat(searchUrl(this.b, "Observation?subject:Patient.identifier=" + NATIONAL_ID + "|" + this.nationalId))
			.isEmpty();
		assertThat(searchUrl(this.b,
				"Patient?_has:Observation:subject:code=http://loinc.org|8867-4&family=" + this.family))
			.isEmpty();
		assertThat(searchUrl(this.a, "Observation?subject.family=" + this.family)).as("the owner finds them")
			.hasSize(3);
	}

	@Test
	void includeRevincludeAndEverythingReturnNothingOfTheOtherHospital() {
		Bundle revinclude = this.b.search()
			.forResource(Patient.class)
			.where(Patient.RES_ID.exactly().code(this.patientA.getIdPart()))
			.revInclude(Observation.INCLUDE_SUBJECT)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(revinclude.getEntry()).isEmpty();

		Bundle include = this.b.search()
			.forResource(Observation.class)
			.where(new ReferenceClientParam("subject").hasId(this.patientA))
			.include(Observation.INCLUDE_SUBJECT)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(include.getEntry()).isEmpty();

		assertThatExceptionOfType(ResourceNotFoundException.class).isThrownBy(() -> this.b.operation()
			.onInstance(this.patientA)
			.named("$everything")
			.withNoParameters(Parameters.class)
			.returnResourceType(Bundle.class)
			.execute());

		// HAPI 8.8's type-level $everything crosses partitions, so Crosswalk refuses it.
		for (IGenericClient client : List.of(this.a, this.b)) {
			assertThatExceptionOfType(ForbiddenOperationException.class).isThrownBy(() -> client.operation()
				.onType(Patient.class)
				.named("$everything")
				.withNoParameters(Parameters.class)
				.returnResourceType(Bundle.class)
				.execute());
		}
	}

	@Test
	void referencesToTheOtherHospitalAreRefused() {
		BaseServerResponseException refused = catchThrowableOfType(() -> this.b.create()
			.resource(CoreResources.OBSERVATION.create(unique("obs"), new Reference(this.patientA.getValue())))
			.execute(), BaseServerResponseException.class);
		assertThat(refused).as("B cannot point at A's patient").isNotNull();
		assertThat(refused.getStatusCode()).isBetween(400, 499);
	}

	@Test
	void historyShowsNothingOfTheOtherHospital() {
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.b.history().onInstance(this.patientA).returnBundle(Bundle.class).execute());
		Bundle typeHistory = this.b.history().onType(Patient.class).returnBundle(Bundle.class).count(500).execute();
		assertThat(ids(typeHistory)).doesNotContain(this.patientA.getIdPart());
		Bundle serverHistory = this.b.history().onServer().returnBundle(Bundle.class).count(500).execute();
		assertThat(ids(serverHistory)).doesNotContain(this.patientA.getIdPart(), this.observationA.getIdPart());
	}

	@Test
	void countsIgnoreTheOtherHospital() {
		Bundle count = this.b.search()
			.forResource(Observation.class)
			.where(Observation.CODE.exactly().systemAndCode("http://loinc.org", "8867-4"))
			.summaryMode(SummaryEnum.COUNT)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(count.getTotal()).isZero();
		Bundle ownCount = this.a.search()
			.forResource(Observation.class)
			.where(Observation.CODE.exactly().systemAndCode("http://loinc.org", "8867-4"))
			.summaryMode(SummaryEnum.COUNT)
			.returnBundle(Bundle.class)
			.execute();
		assertThat(ownCount.getTotal()).isEqualTo(3);
	}

	@Test
	void conditionalWritesNeverMatchTheOtherHospitalsResources() {
		TokenClientParam identifier = new TokenClientParam("identifier");
		Patient copy = CoreResources.patient(CoreResources.identifier(unique("b-mrn")));
		copy.addIdentifier().setSystem(NATIONAL_ID).setValue(this.nationalId);
		MethodOutcome conditionalCreate = this.b.create()
			.resource(copy)
			.conditional()
			.where(identifier.exactly().systemAndCode(NATIONAL_ID, this.nationalId))
			.execute();
		assertThat(conditionalCreate.getCreated()).isTrue();
		assertThat(conditionalCreate.getId().getIdPart()).isNotEqualTo(this.patientA.getIdPart());

		copy.setActive(false);
		MethodOutcome conditionalUpdate = this.b.update()
			.resource(copy)
			.conditional()
			.where(identifier.exactly().systemAndCode(NATIONAL_ID, this.nationalId))
			.execute();
		assertThat(conditionalUpdate.getId().getIdPart()).isEqualTo(conditionalCreate.getId().getIdPart());

		this.b.delete().resourceConditionalByUrl("Patient?identifier=" + NATIONAL_ID + "|" + this.nationalId).execute();

		Patient untouched = this.a.read().resource(Patient.class).withId(this.patientA).execute();
		assertThat(untouched.getMeta().getVersionId()).as("A's patient was neither matched nor changed").isEqualTo("2");
		assertThat(untouched.getActive()).isTrue();
	}

	@Test
	void conditionalCreatesOfTheSamePersonAtTwoHospitalsBothSucceed() {
		String ssn = UUID.randomUUID().toString();
		String condition = "identifier=" + NATIONAL_ID + "|" + ssn;
		Patient atA = CoreResources.patient(CoreResources.identifier(unique("a-mrn")));
		atA.addIdentifier().setSystem(NATIONAL_ID).setValue(ssn);
		Patient atB = CoreResources.patient(CoreResources.identifier(unique("b-mrn")));
		atB.addIdentifier().setSystem(NATIONAL_ID).setValue(ssn);

		MethodOutcome createdAtA = this.a.create().resource(atA).conditionalByUrl("Patient?" + condition).execute();
		MethodOutcome createdAtB = this.b.create().resource(atB).conditionalByUrl("Patient?" + condition).execute();

		assertThat(createdAtA.getCreated()).isTrue();
		assertThat(createdAtB.getCreated()).as("B learns nothing of A's patient").isTrue();
		assertThat(createdAtB.getId().getIdPart()).isNotEqualTo(createdAtA.getId().getIdPart());
	}

	@Test
	void writesToTheOtherHospitalsIdsNeverTouchIt() {
		Patient overwrite = CoreResources.patient(CoreResources.identifier(unique("b-mrn")));
		overwrite.setId(this.patientA.getIdPart());
		overwrite.setActive(false);
		BaseServerResponseException refused = catchThrowableOfType(() -> this.b.update().resource(overwrite).execute(),
				BaseServerResponseException.class);
		Patient fresh = CoreResources.patient(CoreResources.identifier(unique("b-mrn")));
		fresh.setId(UUID.randomUUID().toString());
		BaseServerResponseException refusedFresh = catchThrowableOfType(() -> this.b.update().resource(fresh).execute(),
				BaseServerResponseException.class);
		assertThat(refused).as("clients cannot choose ids").isNotNull();
		assertThat(refusedFresh).isNotNull();
		assertThat(refused.getStatusCode()).as("like a PUT to an id that never existed")
			.isEqualTo(refusedFresh.getStatusCode())
			.isBetween(400, 499);
		MethodOutcome deleteOther = this.b.delete().resourceById(this.patientA).execute();
		MethodOutcome deleteNever = this.b.delete()
			.resourceById(new IdType("Patient", UUID.randomUUID().toString()))
			.execute();
		assertThat(deleteOther.getResponseStatusCode()).as("like deleting an id that never existed")
			.isEqualTo(deleteNever.getResponseStatusCode());

		Patient untouched = this.a.read().resource(Patient.class).withId(this.patientA).execute();
		assertThat(untouched.getMeta().getVersionId()).isEqualTo("2");
		assertThat(untouched.getActive()).isTrue();
	}

	@Test
	void bundlesSeeOnlyTheirOwnHospital() {
		Bundle batch = new Bundle().setType(BundleType.BATCH);
		batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/" + this.patientA.getIdPart());
		batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient?family=" + this.family);
		Bundle batchResponse = this.b.transaction().withBundle(batch).execute();
		assertThat(batchResponse.getEntry().get(0).getResponse().getStatus()).startsWith("404");
		Bundle searchInBatch = (Bundle) batchResponse.getEntry().get(1).getResource();
		assertThat(searchInBatch.getEntry()).isEmpty();

		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		Patient copy = CoreResources.patient(CoreResources.identifier(unique("b-mrn")));
		copy.addIdentifier().setSystem(NATIONAL_ID).setValue(this.nationalId);
		transaction.addEntry()
			.setFullUrl("urn:uuid:" + UUID.randomUUID())
			.setResource(copy)
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Patient")
			.setIfNoneExist("identifier=" + NATIONAL_ID + "|" + this.nationalId);
		transaction.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient?family=" + this.family);
		Bundle transactionResponse = this.b.transaction().withBundle(transaction).execute();
		assertThat(transactionResponse.getEntry().get(0).getResponse().getStatus())
			.as("the conditional create did not match A's patient")
			.startsWith("201");
		assertThat(((Bundle) transactionResponse.getEntry().get(1).getResource()).getEntry()).isEmpty();

		Bundle readA = new Bundle().setType(BundleType.TRANSACTION);
		readA.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/" + this.patientA.getIdPart());
		Bundle readResponse = this.b.transaction().withBundle(readA).execute();
		assertThat(readResponse.getEntry().get(0).getResponse().getStatus()).startsWith("404");
		assertThat(readResponse.getEntry().get(0).getResource() instanceof Patient).isFalse();
	}

	@Test
	void searchPagingLinksRunTheQueryAgainInTheCallersOwnHospital() throws Exception {
		Bundle firstPage = this.a.search()
			.forResource(Observation.class)
			.where(new ReferenceClientParam("subject").hasId(this.patientA))
			.count(1)
			.returnBundle(Bundle.class)
			.execute();
		String next = firstPage.getLink(Bundle.LINK_NEXT).getUrl();
		assertThat(next).contains("_offset=1").doesNotContain("_getpages");
		assertThat(this.a.loadPage().byUrl(next).andReturnBundle(Bundle.class).execute().getEntry()).hasSize(1);

		HttpResponse<String> followedByB = get(next, newHospital().key());
		assertThat(followedByB.statusCode()).as(followedByB.body()).isEqualTo(200);
		assertThat(FHIR.newJsonParser().parseResource(Bundle.class, followedByB.body()).getEntry()).isEmpty();
		assertThat(followedByB.body()).doesNotContain(this.observationA.getIdPart());
	}

	@Test
	void storedPagingLinksDoNotCrossHospitals() throws Exception {
		HttpResponse<String> everything = get(
				fhirBaseUrl() + "/Patient/" + this.patientA.getIdPart() + "/$everything?_count=1",
				this.hospitalA.key());
		assertThat(everything.statusCode()).as(everything.body()).isEqualTo(200);
		String next = FHIR.newJsonParser()
			.parseResource(Bundle.class, everything.body())
			.getLink(Bundle.LINK_NEXT)
			.getUrl();
		assertThat(next).contains("_getpages=");
		assertThat(this.a.loadPage().byUrl(next).andReturnBundle(Bundle.class).execute().getEntry()).hasSize(1);

		HttpResponse<String> stolen = get(next, newHospital().key());
		assertThat(stolen.statusCode()).as(stolen.body()).isEqualTo(410);
		assertThat(stolen.body()).doesNotContain(this.patientA.getIdPart()).doesNotContain("\"total\"");

		HttpResponse<String> expired = get(next.replaceAll("_getpages=[^&]+", "_getpages=" + UUID.randomUUID()),
				this.hospitalA.key());
		assertThat(expired.statusCode()).as("like a link that expired").isEqualTo(stolen.statusCode());
		assertThat(this.a.loadPage().byUrl(next).andReturnBundle(Bundle.class).execute().getEntry())
			.as("the owner still pages")
			.hasSize(1);
	}

	private static HttpResponse<String> get(String url, String key) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url))
				.header("Accept", "application/fhir+json")
				.header("Authorization", "Bearer " + key)
				.build(), BodyHandlers.ofString());
	}

	private static List<?> searchUrl(IGenericClient client, String url) {
		return client.search().byUrl(url).returnBundle(Bundle.class).execute().getEntry();
	}

	private static Set<String> ids(Bundle bundle) {
		return bundle.getEntry()
			.stream()
			.filter((entry) -> entry.getResource() != null)
			.map((entry) -> new IdType(entry.getResource().getId()).getIdPart())
			.collect(Collectors.toSet());
	}

}
