package health.crosswalk.conformance;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.StoredAuditJson;
import health.crosswalk.TestIdentityProvider;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Crosswalk answers, checked over HTTP against the IHE profiles it claims: the
 * {@code $ihe-pix} answer against PIXm, the {@code $match} answer against PDQm, and every
 * AuditEvent recorded in this run (by this test's interactions and by every integration
 * test that ran before it in the same JVM) against the BALP, PIXm or PDQm profile of its
 * interaction. Events are checked one per shape (interaction, action, outcome, agents,
 * entities), so the whole suite's variety is covered without validating thousands of
 * copies. It runs last of the integration tests (the build orders classes by
 * {@link Order}).
 */
@Order(Integer.MAX_VALUE)
class ConformanceIT extends CrosswalkIntegrationTest {

	private static final String SSN = "http://hl7.org/fhir/sid/us-ssn";

	private static final String SHAPES = "SELECT DISTINCT ON (type, subtypes, action, outcome, patient IS NULL, "
			+ "cardinality(agents), cardinality(entities)) " + StoredAuditJson.COLUMNS
			+ " FROM crosswalk.audit_event WHERE recorded >= ? "
			+ "ORDER BY type, subtypes, action, outcome, patient IS NULL, cardinality(agents), cardinality(entities), "
			+ "recorded DESC";

	@Test
	void answersAndEveryShapeOfAuditEventFitTheirIheProfiles() {
		FhirHttp http = new FhirHttp(serverUrl());
		TestHospital a = hospital();
		TestHospital b = newHospital();
		String ssn = String
			.valueOf(100_000_000 + Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 800_000_000L));
		String atA = create(http, a.key(), person(a, ssn));
		create(http, b.key(), person(b, ssn));
		String observation = create(http, a.key(),
				CoreResources.OBSERVATION.create(unique("obs"), new org.hl7.fhir.r4.model.Reference("Patient/" + atA)));

		// Reads, writes, queries and the IHE transactions, allowed and refused.
		call(http, "GET", "/fhir/Patient/" + atA, a.key(), null, 200);
		call(http, "GET", "/fhir/Patient/" + atA + "/_history/1", a.key(), null, 200);
		call(http, "GET", "/fhir/Observation/" + observation, a.key(), null, 200);
		call(http, "GET", "/fhir/Organization/" + a.organizationId(), a.key(), null, 200);
		call(http, "PATCH", "/fhir/Patient/" + atA, a.key(),
				"[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]", 200);
		call(http, "GET", "/fhir/Observation?patient=" + atA, a.key(), null, 200);
		call(http, "GET", "/fhir/Patient?family=" + unique("Nobody"), a.key(), null, 200);
		call(http, "GET", "/fhir/Patient/" + atA + "/$everything", a.key(), null, 200);
		String token = TestIdentityProvider.get().token(a.slug(), "clinician", "user/Patient.rs user/Observation.rs");
		call(http, "GET", "/fhir/Patient/" + atA, token, null, 200);
		call(http, "GET", "/fhir/Observation?patient=" + atA, token, null, 200);
		call(http, "GET", "/fhir/Patient/" + atA, null, null, 401);
		call(http, "GET", "/fhir/Patient/" + atA, TestHospitals.networkKey(context(), Role.AUDITOR), null, 403);

		HttpResponse<String> pix = call(http, "GET", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + SSN + "%7C" + ssn,
				a.key(), null, 200);
		assertThat(Conformance.pixAnswerErrors(FHIR.newJsonParser().parseResource(Parameters.class, pix.body())))
			.as("PIXm Query Parameters Out: " + pix.body())
			.isEmpty();

		Patient wanted = person(a, ssn);
		wanted.getIdentifier().clear();
		Parameters in = new Parameters();
		in.addParameter().setName("resource").setResource(wanted);
		HttpResponse<String> match = call(http, "POST", "/fhir/Patient/$match", a.key(),
				FHIR.newJsonParser().encodeResourceToString(in), 200);
		Bundle matches = FHIR.newJsonParser().parseResource(Bundle.class, match.body());
		assertThat(matches.getEntry()).as("the record at A matches").isNotEmpty();
		assertThat(Conformance.matchAnswerErrors(matches)).as("PDQm Match Parameters Out: " + match.body()).isEmpty();

		call(http, "DELETE", "/fhir/Observation/" + observation, a.key(), null, 200);

		List<String> failures = new ArrayList<>();
		Set<String> profiles = new TreeSet<>();
		JdbcTemplate jdbc = context().getBean(JdbcTemplate.class);
		Timestamp since = new Timestamp(ManagementFactory.getRuntimeMXBean().getStartTime());
		List<String> shapes = jdbc.query(SHAPES, StoredAuditJson.mapper(jdbc), since);
		for (String json : shapes) {
			AuditEvent event = FHIR.newJsonParser().parseResource(AuditEvent.class, json);
			profiles.add(Conformance.describe(event));
			List<String> errors = Conformance.auditErrors(event);
			if (!errors.isEmpty()) {
				failures.add(Conformance.describe(event) + " " + errors + "\n" + json);
			}
		}
		assertThat(profiles).as("shapes of %d checked", shapes.size())
			.contains("balp-patient-read", "balp-read", "balp-patient-create", "balp-patient-update",
					"balp-patient-delete", "balp-patient-query", "balp-query", "pixm-query-audit-manager",
					"pdqm-match-audit-supplier");
		assertThat(failures).as("AuditEvents that do not fit their IHE profile").isEmpty();
	}

	private static Patient person(TestHospital hospital, String ssn) {
		Patient patient = CoreResources.patient(CoreResources.identifier(unique("mrn")));
		patient.getIdentifierFirstRep().setSystem(hospital.mrnSystem());
		patient.addIdentifier().setSystem(SSN).setValue(ssn);
		patient.getNameFirstRep().setFamily("Conformance").getGiven().clear();
		patient.getNameFirstRep().addGiven("Iris");
		patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1961-06-01"));
		return patient;
	}

	private static String create(FhirHttp http, String bearer, org.hl7.fhir.r4.model.Resource resource) {
		HttpResponse<String> created = call(http, "POST", "/fhir/" + resource.fhirType(), bearer,
				FHIR.newJsonParser().encodeResourceToString(resource), 201);
		return FHIR.newJsonParser().parseResource(created.body()).getIdElement().getIdPart();
	}

	private static HttpResponse<String> call(FhirHttp http, String method, String path, String bearer, String body,
			int status) {
		String type = (body == null) ? null
				: "PATCH".equals(method) ? "application/json-patch+json" : "application/fhir+json";
		HttpResponse<String> response = http.send(method, path, bearer, type, body);
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
		return response;
	}

}
