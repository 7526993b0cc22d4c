package health.crosswalk.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.rest.api.InterceptorInvocationTimingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import health.crosswalk.server.CrosswalkException;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link ProfileHooks} on HAPI's interceptor service, as HAPI JPA calls it before commit,
 * without Spring or a database: the profiles and the validation chain in memory.
 */
class ProfileHooksTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final InterceptorService storage = new InterceptorService();

	@BeforeAll
	static void register() {
		ProfileSet profiles = ProfileSet.load(FHIR);
		ProfileValidation validation = ProfileValidation.using(FHIR, ProfilesTest.chain(profiles), profiles, true, 100);
		new Pipeline(new RestfulServer(FHIR), storage).add(new ProfileHooks(validation, (type, refused, nanos) -> {
		}));
	}

	@Test
	void aConformingPatientIsStored() {
		assertThatNoException()
			.isThrownBy(() -> created(example("valid-hospital-record"), new ServletRequestDetails()));
	}

	@Test
	void aPatientAgainstItsProfileIsRefusedWith422AndOneCodedIssuePerError() {
		CrosswalkException refused = catchThrowableOfType(
				() -> created(example("invalid-Patient.identifier_mrn"), new ServletRequestDetails()),
				CrosswalkException.class);

		assertThat(refused.getStatusCode()).isEqualTo(422);
		assertThat(refused.error()).isEqualTo(ProfileError.NOT_CONFORMANT);
		assertThat(((OperationOutcome) refused.getOperationOutcome()).getIssue()).isNotEmpty()
			.allSatisfy(
					(issue) -> assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-PROF-001"))
			.anySatisfy((issue) -> assertThat(issue.getDiagnostics()).contains("identifier"));
	}

	@Test
	void theServersOwnWritesAreTrusted() {
		assertThatNoException()
			.isThrownBy(() -> created(example("invalid-Patient.identifier_mrn"), new SystemRequestDetails()));
	}

	private static IBaseResource example(String name) throws IOException {
		return FHIR.newJsonParser()
			.parseResource(Files.readString(Path.of("fhir-profiles", "examples", "Patient-" + name + ".json")));
	}

	private static void created(IBaseResource resource, RequestDetails request) {
		HookParams params = new HookParams().add(IBaseResource.class, resource)
			.add(RequestDetails.class, request)
			.addIfMatchesType(ServletRequestDetails.class, request)
			.add(TransactionDetails.class, new TransactionDetails())
			.add(InterceptorInvocationTimingEnum.class, InterceptorInvocationTimingEnum.ACTIVE);
		storage.callHooks(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, params);
	}

}
