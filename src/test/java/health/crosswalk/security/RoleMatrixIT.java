package health.crosswalk.security;

import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.function.Function;

import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.TestIdentityProvider;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles and scopes against interactions, on the caller's own hospital: what each kind of
 * caller may do. (Other hospitals' data is covered by {@link IsolationIT}.)
 */
class RoleMatrixIT extends CrosswalkIntegrationTest {

	private static final String PATIENT = CoreResources.patientJson("Matrix", "");

	private static final String AUDIT_EVENT = "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"rest\"},"
			+ "\"recorded\":\"2026-01-01T00:00:00Z\",\"agent\":[{\"requestor\":true}],\"source\":{\"observer\":{\"display\":\"x\"}}}";

	@ParameterizedTest(name = "{0} {1} -> {2}")
	@CsvSource({
			// caller, interaction, status
			"hospital-system,   create,          201", //
			"hospital-system,   read,            200", //
			"hospital-system,   search,          200", //
			"hospital-system,   update,          200", //
			"hospital-system,   delete,          200", //
			"hospital-system,   transaction,     200", //
			"hospital-system,   audit-search,    403", //
			"hospital-system,   audit-create,    405", //
			"hospital-system,   admin-api,       403", //
			"clinician-read,    create,          403", //
			"clinician-read,    read,            200", //
			"clinician-read,    search,          200", //
			"clinician-read,    update,          403", //
			"clinician-read,    delete,          403", //
			"clinician-read,    transaction,     403", //
			"clinician-read,    audit-search,    403", //
			"clinician-read,    admin-api,       403", //
			"clinician-write,   create,          201", //
			"clinician-write,   update,          200", //
			"clinician-write,   delete,          200", //
			"clinician-write,   transaction,     200", //
			"clinician-write,   audit-create,    405", //
			"auditor,           create,          403", //
			"auditor,           read,            403", //
			"auditor,           search,          403", //
			"auditor,           update,          403", //
			"auditor,           delete,          403", //
			"auditor,           transaction,     403", //
			"auditor,           audit-search,    200", //
			"auditor,           audit-create,    405", //
			"auditor,           admin-api,       403", //
			"admin,             create,          403", //
			"admin,             read,            403", //
			"admin,             search,          403", //
			"admin,             update,          403", //
			"admin,             delete,          403", //
			"admin,             transaction,     403", //
			"admin,             audit-search,    403", //
			"admin,             audit-create,    405", //
			"admin,             admin-api,       200", //
			"no-role,           read,            403", //
			"no-role,           search,          403", //
			"no-role,           admin-api,       403" })
	void callerMayDoOnlyWhatItsRoleAndScopesAllow(String caller, String interaction, int expected) {
		TestHospital hospital = hospital();
		FhirHttp http = new FhirHttp(serverUrl());
		String patientId = createPatient(http, hospital.key());
		String bearer = credential(caller, hospital);

		HttpResponse<String> response = switch (interaction) {
			case "create" -> http.send("POST", "/fhir/Patient", bearer, "application/fhir+json", PATIENT);
			case "read" -> http.get("/fhir/Patient/" + patientId, bearer);
			case "search" -> http.get("/fhir/Patient?name=Matrix", bearer);
			case "update" -> http.send("PUT", "/fhir/Patient/" + patientId, bearer, "application/fhir+json",
					PATIENT.replace("{\"resourceType\":\"Patient\",",
							"{\"resourceType\":\"Patient\",\"id\":\"" + patientId + "\","));
			case "delete" -> http.send("DELETE", "/fhir/Patient/" + patientId, bearer, null, null);
			case "transaction" -> http.send("POST", "/fhir", bearer, "application/fhir+json", transaction());
			case "audit-search" -> http.get("/fhir/AuditEvent", bearer);
			case "audit-create" -> http.send("POST", "/fhir/AuditEvent", bearer, "application/fhir+json", AUDIT_EVENT);
			case "admin-api" -> http.get("/admin/hospitals", bearer);
			default -> throw new IllegalArgumentException(interaction);
		};

		assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
		if (expected == 403) {
			assertThat(response.body()).contains("urn:crosswalk:error").containsPattern("CW-AUTH-01[0-4]");
		}
	}

	private String credential(String caller, TestHospital hospital) {
		TestIdentityProvider idp = TestIdentityProvider.get();
		Function<Role, String> network = (role) -> TestHospitals.networkKey(context(), role);
		return switch (caller) {
			case "hospital-system" -> hospital.key();
			case "clinician-read" -> idp.token(hospital.slug(), "clinician", "openid user/*.rs");
			case "clinician-write" -> idp.token(hospital.slug(), "clinician", "user/*.cruds");
			case "auditor" -> network.apply(Role.AUDITOR);
			case "admin" -> network.apply(Role.ADMIN);
			case "no-role" -> idp.token(hospital.slug(), null, "user/*.cruds");
			default -> throw new IllegalArgumentException(caller);
		};
	}

	private static String createPatient(FhirHttp http, String key) {
		HttpResponse<String> created = http.send("POST", "/fhir/Patient", key, "application/fhir+json", PATIENT);
		assertThat(created.statusCode()).isEqualTo(201);
		return FHIR.newJsonParser().parseResource(created.body()).getIdElement().getIdPart();
	}

	private static String transaction() {
		return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:"
				+ UUID.randomUUID() + "\",\"resource\":" + PATIENT
				+ ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";
	}

}
