package health.crosswalk.security;

import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import health.crosswalk.server.Pipeline;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link FhirRequestHooks} on a real HAPI RestfulServer from HAPI's test kit, without
 * Spring or a database: the caller is named per request as Spring Security would (by
 * header here, into the security context), and the hook refuses what the caller's role
 * and scopes do not allow before HAPI handles the request.
 */
class FhirRequestHooksTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final HospitalRef GENERAL = TwoHospitals.GENERAL;

	private static final Map<String, CrosswalkPrincipal> CALLERS = Map.of("reader",
			new CrosswalkPrincipal("reader", Role.CLINICIAN, GENERAL, SmartScopes.parse("user/*.rs"), "test"),
			"auditor",
			new CrosswalkPrincipal("auditor", Role.AUDITOR, null, SmartScopes.parse("system/AuditEvent.rs"), "test"));

	private static final HashMapResourceProvider<Patient> patients = new HashMapResourceProvider<>(FHIR, Patient.class);

	@RegisterExtension
	static final RestfulServerExtension fhir = new RestfulServerExtension(FHIR, patients)
		.registerAnonymousInterceptor(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED,
				FhirRequestHooksTest::authenticate)
		.withServer((server) -> new Pipeline(server, null).add(new FhirRequestHooks(policy(), null)));

	@BeforeAll
	static void client() {
		FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
	}

	private static FhirAccessPolicy policy() {
		return new FhirAccessPolicy(new TwoHospitals(), (type) -> true);
	}

	@Test
	void aCallerWithinItsScopesIsServed() {
		IIdType id = patients.store(new Patient());

		assertThat(client("reader").read().resource(Patient.class).withId(id.toUnqualifiedVersionless()).execute())
			.isNotNull();
	}

	@Test
	void aWriteBeyondTheCallersScopesIsRefusedBeforeHapiHandlesIt() {
		BaseServerResponseException refused = catchThrowableOfType(
				() -> client("reader").create().resource(new Patient()).execute(), BaseServerResponseException.class);

		assertThat(refused.getStatusCode()).isEqualTo(403);
		assertThat(code(refused)).isEqualTo("CW-AUTH-011");
	}

	@Test
	void anAuditorReadsNoClinicalData() {
		BaseServerResponseException refused = catchThrowableOfType(
				() -> client("auditor").search().forResource(Patient.class).execute(),
				BaseServerResponseException.class);

		assertThat(refused.getStatusCode()).isEqualTo(403);
		assertThat(code(refused)).isEqualTo("CW-AUTH-010");
	}

	private static IGenericClient client(String caller) {
		IGenericClient client = FHIR.newRestfulGenericClient(fhir.getBaseUrl());
		AdditionalRequestHeadersInterceptor headers = new AdditionalRequestHeadersInterceptor();
		headers.addHeaderValue("X-Test-Caller", caller);
		client.registerInterceptor(headers);
		return client;
	}

	/** What Spring Security's filter does in the server: the caller into the context. */
	private static void authenticate(Object pointcut, HookParams params) {
		String caller = params.get(HttpServletRequest.class).getHeader("X-Test-Caller");
		SecurityContextHolder.clearContext();
		if (caller != null) {
			SecurityContextHolder.getContext().setAuthentication(new CrosswalkAuthentication(CALLERS.get(caller)));
		}
	}

	private static String code(BaseServerResponseException refused) {
		return ((OperationOutcome) refused.getOperationOutcome()).getIssueFirstRep()
			.getDetails()
			.getCodingFirstRep()
			.getCode();
	}

}
