package health.crosswalk.linkage;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.audit.AuditClient;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.Role;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One person, one UPI, across hospitals: deterministic on a shared national id, scored on
 * demographics, near misses queued for review, decided in the write's transaction and
 * safe under concurrent writers.
 */
class LinkageIT extends CrosswalkIntegrationTest {

	private static final String SSN = "http://hl7.org/fhir/sid/us-ssn";

	private static final String UPI = "https://fhir.crosswalk.health/sid/upi";

	private IGenericClient a;

	private IGenericClient b;

	private TestHospital hospitalB;

	private String family;

	@BeforeEach
	void twoHospitals() {
		this.a = client();
		this.hospitalB = newHospital();
		this.b = client(this.hospitalB.key());
		StringBuilder letters = new StringBuilder("Link");
		java.util.concurrent.ThreadLocalRandom.current()
			.ints(10, 'a', 'z' + 1)
			.forEach((letter) -> letters.append((char) letter));
		this.family = letters.toString();
	}

	@Test
	void aSharedNationalIdLinksDifferentlyWrittenRecords() {
		String ssn = ssn();
		Patient atA = person("Adaeze", "1984-03-12");
		atA.addIdentifier().setSystem(SSN).setValue(ssn);
		Patient atB = person("Ada", "1984-12-03");
		atB.getNameFirstRep().setFamily("Mensah");
		atB.addIdentifier().setSystem(SSN).setValue(ssn);

		String upiA = upi(this.a, create(this.a, atA));
		String upiB = upi(this.b, create(this.b, atB));

		assertThat(upiB).isEqualTo(upiA);
		assertThat(history(upiB)).contains("deterministic:linked").doesNotContain("probabilistic:linked");
	}

	@Test
	void matchingDemographicsLinkWithoutAnyIdentifier() {
		String upiA = upi(this.a, create(this.a, person("Katherine", "1979-07-21")));
		Patient nickname = person("Kate", "1979-07-21");
		nickname.getAddressFirstRep().setPostalCode("02139");
		String upiB = upi(this.b, create(this.b, nickname));

		assertThat(upiB).isEqualTo(upiA);
		assertThat(history(upiB)).contains("probabilistic:linked");
	}

	@Test
	void aNearMissIsQueuedForReviewNotLinked() {
		String upiA = upi(this.a, create(this.a, person("Amara", "1990-05-05")));
		// A birth date one digit off, another postcode and
		// no phone: possibly the same person.
		Patient nearMiss = person("Amara", "1990-05-06");
		nearMiss.getTelecom().clear();
		nearMiss.getAddressFirstRep().setPostalCode("10001");
		IIdType twinId = create(this.b, nearMiss);
		String upiB = upi(this.b, twinId);

		assertThat(upiB).as("not linked").isNotEqualTo(upiA);
		Integer queued = jdbc().queryForObject(
				"SELECT count(*) FROM crosswalk.link_review WHERE patient_id = ? AND candidate_upi = ?::uuid "
						+ "AND status = 'open'",
				Integer.class, twinId.getIdPart(), upiA);
		assertThat(queued).isEqualTo(1);
	}

	@Test
	void differentPeopleGetDifferentUpis() {
		String first = upi(this.a, create(this.a, person("Amara", "1990-05-05")));
		Patient other = person("Tobenna", "1961-11-30");
		other.setGender(AdministrativeGender.MALE);
		other.getTelecom().clear();
		other.getAddressFirstRep().setPostalCode("99999");
		assertThat(upi(this.b, create(this.b, other))).isNotEqualTo(first);
	}

	@Test
	void aRolledBackWriteLeavesNoLink() {
		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		transaction.addEntry()
			.setFullUrl("urn:uuid:" + UUID.randomUUID())
			.setResource(person("Rollback", "1955-01-01"))
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Patient");
		transaction.addEntry()
			.setResource(CoreResources.observation(CoreResources.identifier(unique("obs")),
					new Reference("Patient/" + UUID.randomUUID()), "8867-4", new java.util.Date()))
			.getRequest()
			.setMethod(HTTPVerb.POST)
			.setUrl("Observation");

		BaseServerResponseException failure = catchThrowableOfType(
				() -> this.a.transaction().withBundle(transaction).execute(), BaseServerResponseException.class);

		assertThat(failure).isNotNull();
		Integer links = jdbc().queryForObject(
				"SELECT count(*) FROM crosswalk.patient_link WHERE demographics -> 'family' ->> 0 = ?", Integer.class,
				this.family.toLowerCase());
		assertThat(links).as("no link survives the rolled-back write").isZero();
	}

	@Test
	void concurrentWritesOfOnePersonYieldOneUpi() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 5; round++) {
				String ssn = ssn();
				CountDownLatch start = new CountDownLatch(1);
				List<Future<String>> upis = new ArrayList<>();
				for (IGenericClient client : List.of(this.a, this.b)) {
					Patient patient = person("Concurrent" + round, "1970-01-0" + (1 + round));
					patient.addIdentifier().setSystem(SSN).setValue(ssn);
					upis.add(threads.submit(() -> {
						start.await();
						return upi(client, create(client, patient));
					}));
				}
				start.countDown();
				assertThat(upis.get(0).get()).as("round " + round).isEqualTo(upis.get(1).get());
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void pixAnswersTheSamePersonsIdentifiersAtOtherHospitals() {
		String ssn = ssn();
		Patient atA = person("Pix", "1966-06-06");
		atA.getIdentifierFirstRep().setSystem(hospital().mrnSystem()).setValue("A-" + ssn);
		atA.addIdentifier().setSystem(SSN).setValue(ssn);
		Patient atB = person("Pix", "1966-06-06");
		atB.getIdentifierFirstRep().setSystem(this.hospitalB.mrnSystem()).setValue("B-" + ssn);
		atB.addIdentifier().setSystem(SSN).setValue(ssn);
		IIdType idA = create(this.a, atA);
		IIdType idB = create(this.b, atB);
		FhirHttp http = new FhirHttp(serverUrl());
		String source = "/fhir/Patient/$ihe-pix?sourceIdentifier=" + hospital().mrnSystem() + "%7CA-" + ssn;

		HttpResponse<String> all = http.get(source, hospital().key());
		assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
		Parameters parameters = FHIR.newJsonParser().parseResource(Parameters.class, all.body());
		assertThat(parameters.getParameters("targetIdentifier")).extracting((p) -> (Identifier) p.getValue())
			.extracting((identifier) -> identifier.getSystem() + "|" + identifier.getValue())
			.contains(this.hospitalB.mrnSystem() + "|B-" + ssn, UPI + "|" + upi(this.a, idA))
			.doesNotContain(hospital().mrnSystem() + "|A-" + ssn);
		assertThat(parameters.getParameters("targetIdentifier")).extracting((p) -> (Identifier) p.getValue())
			.filteredOn((identifier) -> SSN.equals(identifier.getSystem()))
			.as("the number both records share, named once")
			.hasSize(1);
		assertThat(parameters.getParameters("targetId")).extracting((p) -> ((Reference) p.getValue()).getReference())
			.containsExactly("Patient/" + idA.getIdPart());
		// The audit names both records disclosed, by
		// reference and by identifier, as ITI-83.
		AuditClient audits = new AuditClient(http, TestHospitals.networkKey(context(), Role.AUDITOR));
		List<AuditEvent> events = audits.events(all.headers().firstValue("X-Request-ID").orElseThrow());
		assertThat(events).extracting(LinkageIT::patientEntity)
			.extracting((entity) -> entity.getWhat().getReference())
			.containsExactlyInAnyOrder("Patient/" + idA.getIdPart(), "Patient/" + idB.getIdPart());
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.getSubtype()).extracting(Coding::getCode).contains("ITI-83", "search");
			assertThat(patientEntity(event).getWhat().getIdentifier().getValue()).isNotBlank();
		});
		assertThat(audits.search("patient=Patient/" + idB.getIdPart() + "&_count=200"))
			.as("AuditEvent?patient= finds the disclosure of the other hospital's record")
			.extracting(AuditEvent::getIdPart)
			.containsAnyElementsOf(events.stream().map(AuditEvent::getIdPart).toList());

		HttpResponse<String> onlyA = http.get(source + "&targetSystem=" + hospital().mrnSystem(), hospital().key());
		assertThat(onlyA.statusCode()).as(onlyA.body()).isEqualTo(200);
		assertThat(audits.events(onlyA.headers().firstValue("X-Request-ID").orElseThrow()))
			.as("nothing of the record at B was disclosed, so the audit names only the record asked about")
			.extracting(LinkageIT::patientEntity)
			.extracting((entity) -> entity.getWhat().getReference())
			.containsExactly("Patient/" + idA.getIdPart());

		HttpResponse<String> onlyB = http.get(source + "&targetSystem=" + this.hospitalB.mrnSystem(), hospital().key());
		assertThat(FHIR.newJsonParser().parseResource(Parameters.class, onlyB.body()).getParameter())
			.extracting((p) -> ((Identifier) p.getValue()).getValue())
			.containsExactly("B-" + ssn);

		HttpResponse<String> nobody = http
			.get("/fhir/Patient/$ihe-pix?sourceIdentifier=" + hospital().mrnSystem() + "%7Cnobody", hospital().key());
		FhirHttp.assertOutcome(nobody, 404, "CW-REQ-002");
		// A query that found no one names whom it asked about.
		assertThat(audits.events(nobody.headers().firstValue("X-Request-ID").orElseThrow())).singleElement()
			.satisfies((event) -> assertThat(event.getEntity()).anySatisfy((entity) -> assertThat(
					entity.getWhat().getIdentifier().getSystem() + "|" + entity.getWhat().getIdentifier().getValue())
				.isEqualTo(hospital().mrnSystem() + "|nobody")));
		// PIXm's failure modes: an unknown source domain 400, an unknown target system
		// 403, both with issue code code-invalid.
		assertThat(FhirHttp
			.assertOutcome(http.get("/fhir/Patient/$ihe-pix?sourceIdentifier=urn:unknown:system%7C1", hospital().key()),
					400, "CW-LINK-002")
			.getIssueFirstRep()
			.getCode()).isEqualTo(OperationOutcome.IssueType.CODEINVALID);
		assertThat(FhirHttp
			.assertOutcome(http.get(source + "&targetSystem=urn:unknown:system", hospital().key()), 403, "CW-LINK-003")
			.getIssueFirstRep()
			.getCode()).isEqualTo(OperationOutcome.IssueType.CODEINVALID);
		FhirHttp.assertOutcome(http.get(source, this.hospitalB.key()), 404, "CW-REQ-002");
	}

	@Test
	void matchScoresTheCallersOwnPatients() {
		IIdType id = create(this.a, person("Matcha", "1977-07-07"));
		Patient wanted = person("Matcha", "1977-07-07");
		wanted.getIdentifier().clear();

		Bundle certain = match(this.a, wanted, false, 5);
		assertThat(certain.getEntry()).hasSize(1);
		Bundle.BundleEntryComponent entry = certain.getEntryFirstRep();
		assertThat(entry.getResource().getIdElement().getIdPart()).isEqualTo(id.getIdPart());
		assertThat(entry.getSearch().getScore().doubleValue()).isGreaterThan(0.9);
		assertThat(entry.getSearch().getExtensionString("http://hl7.org/fhir/StructureDefinition/match-grade"))
			.isEqualTo("certain");

		Patient nearMiss = person("Matcha", "1977-07-08");
		nearMiss.getIdentifier().clear();
		nearMiss.getTelecom().clear();
		nearMiss.getAddressFirstRep().setPostalCode("10001");
		Bundle probable = match(this.a, nearMiss, false, 5);
		assertThat(probable.getEntryFirstRep()
			.getSearch()
			.getExtensionString("http://hl7.org/fhir/StructureDefinition/match-grade")).isEqualTo("probable");
		assertThat(match(this.a, nearMiss, true, 5).getEntry()).as("onlyCertainMatches").isEmpty();
		assertThat(match(this.b, wanted, false, 5).getEntry()).as("another hospital's patients are not offered")
			.isEmpty();
	}

	@Test
	void matchAnswersPdqmsShapeWithLinkedRecordsStatingActive() {
		String ssn = ssn();
		Patient atA = person("Linked", "1955-05-05");
		atA.addIdentifier().setSystem(SSN).setValue(ssn);
		Patient atB = person("Linked", "1955-05-05");
		atB.addIdentifier().setSystem(SSN).setValue(ssn);
		IIdType idA = create(this.a, atA);
		create(this.b, atB);
		Patient wanted = person("Linked", "1955-05-05");
		wanted.getIdentifier().clear();

		Bundle matches = match(this.a, wanted, false, 5);
		assertThat(matches.getLink(Bundle.LINK_SELF)).as("self link").isNotNull();
		assertThat(matches.getLink(Bundle.LINK_SELF).getUrl()).isEqualTo(serverUrl() + "/fhir/Patient/$match");
		Bundle.BundleEntryComponent entry = matches.getEntry()
			.stream()
			.filter((candidate) -> candidate.getResource().getIdElement().getIdPart().equals(idA.getIdPart()))
			.findFirst()
			.orElseThrow();
		assertThat(entry.getFullUrl()).isEqualTo(serverUrl() + "/fhir/Patient/" + idA.getIdPart());
		Patient matched = (Patient) entry.getResource();
		assertThat(matched.getLink()).as("linked to the record at the other hospital").isNotEmpty();
		assertThat(matched.hasActive()).as("PDQm iti-pdqm-linkstatus: link needs active").isTrue();
		assertThat(matched.getActive()).isTrue();
	}

	private static AuditEvent.AuditEventEntityComponent patientEntity(AuditEvent event) {
		return event.getEntity()
			.stream()
			.filter((entity) -> "1".equals(entity.getType().getCode()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no patient entity in " + event.getIdPart()));
	}

	private static Bundle match(IGenericClient client, Patient wanted, boolean onlyCertain, int count) {
		Parameters parameters = new Parameters();
		parameters.addParameter().setName("resource").setResource(wanted);
		parameters.addParameter()
			.setName("onlyCertainMatches")
			.setValue(new org.hl7.fhir.r4.model.BooleanType(onlyCertain));
		parameters.addParameter().setName("count").setValue(new org.hl7.fhir.r4.model.IntegerType(count));
		return client.operation()
			.onType(Patient.class)
			.named("$match")
			.withParameters(parameters)
			.returnResourceType(Bundle.class)
			.execute();
	}

	@Test
	void clientsCannotSetOrChangeTheUpi() {
		Patient claimed = person("Claim", "1988-08-08");
		claimed.addIdentifier().setSystem(UPI).setValue(UUID.randomUUID().toString());
		assertThatExceptionOfType(UnprocessableEntityException.class)
			.isThrownBy(() -> this.a.create().resource(claimed).execute())
			.satisfies(
					(refused) -> assertThat(FHIR.newJsonParser().encodeResourceToString(refused.getOperationOutcome()))
						.contains("CW-LINK-001"));

		IIdType id = create(this.a, person("Roundtrip", "1988-08-08"));
		Patient read = this.a.read().resource(Patient.class).withId(id).execute();
		read.setActive(true);
		assertThat(this.a.update().resource(read).execute().getId().getVersionIdPart())
			.as("sending the server's UPI back unchanged is fine")
			.isEqualTo("2");

		Patient changed = this.a.read().resource(Patient.class).withId(id).execute();
		changed.getIdentifier()
			.stream()
			.filter((identifier) -> UPI.equals(identifier.getSystem()))
			.forEach((identifier) -> identifier.setValue(UUID.randomUUID().toString()));
		assertThatExceptionOfType(UnprocessableEntityException.class)
			.isThrownBy(() -> this.a.update().resource(changed).execute());
	}

	private Patient person(String given, String birthDate) {
		Patient patient = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		patient.getNameFirstRep().setFamily(this.family).getGiven().clear();
		patient.getNameFirstRep().addGiven(given);
		patient.setGender(AdministrativeGender.FEMALE);
		patient.setBirthDateElement(new DateType(birthDate));
		patient.getAddressFirstRep().setPostalCode("02138");
		patient.addTelecom()
			.setSystem(ContactPoint.ContactPointSystem.PHONE)
			.setValue("617-555-" + (1000 + given.length()));
		return patient;
	}

	private static IIdType create(IGenericClient client, Patient patient) {
		return client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
	}

	private static String upi(IGenericClient client, IIdType id) {
		Patient patient = client.read().resource(Patient.class).withId(id).execute();
		return patient.getIdentifier()
			.stream()
			.filter((identifier) -> UPI.equals(identifier.getSystem()))
			.map(Identifier::getValue)
			.findFirst()
			.orElseThrow(() -> new AssertionError("Patient/" + id.getIdPart() + " carries no UPI"));
	}

	private List<String> history(String upi) {
		return jdbc().queryForList("SELECT l.method || ':' || h.action FROM crosswalk.link_history h "
				+ "JOIN crosswalk.patient_link l ON l.partition_id = h.partition_id AND l.patient_id = h.patient_id "
				+ "WHERE h.upi = ?::uuid", String.class, upi);
	}

	private JdbcTemplate jdbc() {
		return context().getBean(JdbcTemplate.class);
	}

	private static String ssn() {
		return String.format("%09d", Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L));
	}

}
