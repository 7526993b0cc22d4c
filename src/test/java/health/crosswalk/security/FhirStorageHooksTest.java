package health.crosswalk.security;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SimplePreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import health.crosswalk.server.CrosswalkException;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link FhirStorageHooks} on HAPI's interceptor service, as HAPI JPA calls them while
 * storing and before showing, without Spring or a database: a hospital's system writes
 * under its own identifier systems only, and never sees another partition's resources.
 */
class FhirStorageHooksTest {

	private static final HospitalRef GENERAL = TwoHospitals.GENERAL;

	private static final InterceptorService storage = new InterceptorService();

	@BeforeAll
	static void register() {
		FhirAccessPolicy policy = new FhirAccessPolicy(new TwoHospitals(), (type) -> true);
		new Pipeline(new RestfulServer(FhirContext.forR4Cached()), storage).add(new FhirStorageHooks(policy, null));
	}

	@BeforeEach
	void generalsSystemCalls() {
		SecurityContextHolder.getContext()
			.setAuthentication(new CrosswalkAuthentication(new CrosswalkPrincipal("ehr", Role.HOSPITAL_SYSTEM, GENERAL,
					SmartScopes.parse("system/*.cruds"), "test")));
	}

	@AfterEach
	void signOut() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aPatientUnderTheHospitalsOwnSystemIsStored() {
		assertThatNoException().isThrownBy(() -> creating(patient("urn:general:mrn"), new ServletRequestDetails()));
	}

	@Test
	void aPatientUnderAnotherHospitalsSystemIsRefused() {
		CrosswalkException refused = catchThrowableOfType(
				() -> creating(patient("urn:riverside:mrn"), new ServletRequestDetails()), CrosswalkException.class);

		assertThat(refused.getStatusCode()).isEqualTo(403);
		assertThat(refused.error()).isEqualTo(SecurityError.FOREIGN_IDENTIFIER_SYSTEM);
	}

	@Test
	void theServersOwnWritesAreNotTheCallers() {
		assertThatNoException().isThrownBy(() -> creating(patient("urn:riverside:mrn"), new SystemRequestDetails()));
	}

	@Test
	void aResourceOfAnotherPartitionIsWithheld() {
		Patient own = patient("urn:general:mrn");
		own.setUserData(Constants.RESOURCE_PARTITION_ID, RequestPartitionId.fromPartitionId(1));
		Patient foreign = patient("urn:riverside:mrn");
		foreign.setUserData(Constants.RESOURCE_PARTITION_ID, RequestPartitionId.fromPartitionId(2));
		SimplePreResourceShowDetails shown = new SimplePreResourceShowDetails(List.of(own, foreign));

		ServletRequestDetails request = new ServletRequestDetails();
		storage.callHooks(Pointcut.STORAGE_PRESHOW_RESOURCES,
				new HookParams().add(IPreResourceShowDetails.class, shown)
					.add(RequestDetails.class, request)
					.add(ServletRequestDetails.class, request));

		assertThat(shown.getResource(0)).isSameAs(own);
		assertThat(shown.getResource(1)).as("withheld").isNull();
	}

	private static Patient patient(String system) {
		Patient patient = new Patient();
		patient.addIdentifier().setSystem(system).setValue("12345");
		return patient;
	}

	private static void creating(IBaseResource resource, RequestDetails request) {
		storage.callHooks(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED,
				new HookParams().add(IBaseResource.class, resource)
					.add(RequestDetails.class, request)
					.addIfMatchesType(ServletRequestDetails.class, request)
					.add(RequestPartitionId.class, RequestPartitionId.fromPartitionId(1))
					.add(TransactionDetails.class, new TransactionDetails()));
	}

}
