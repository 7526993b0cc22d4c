package health.crosswalk.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * One exception type, answered alike on both surfaces: a {@link CrosswalkException} from
 * a HAPI provider (HAPI's RestfulServer from its test kit, with {@link ErrorOutcomes})
 * and from an admin controller ({@link AdminErrors}) gives the error's status and an
 * OperationOutcome with its code and hint; an unexpected failure gives 500 without its
 * internals. No Spring context, no database.
 */
class ErrorContractTest {

	@RegisterExtension
	static final RestfulServerExtension fhir = new RestfulServerExtension(FhirContext.forR4Cached(), new Refusing())
		.registerInterceptor(new ErrorOutcomes());

	@Test
	void hapiAnswersACrosswalkExceptionWithItsStatusCodeAndHint() {
		BaseServerResponseException refused = catchThrowableOfType(
				() -> fhir.getFhirClient().read().resource(Patient.class).withId("conflict").execute(),
				BaseServerResponseException.class);

		assertThat(refused.getStatusCode()).isEqualTo(409);
		OperationOutcome.OperationOutcomeIssueComponent issue = ((OperationOutcome) refused.getOperationOutcome())
			.getIssueFirstRep();
		assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-REQ-004");
		assertThat(issue.getDetails().getText()).isEqualTo(ErrorCode.CONFLICT.definition().hint());
		assertThat(issue.getDiagnostics()).isEqualTo("Someone else changed it.");
	}

	@Test
	void hapiAnswersAnUnexpectedFailureWith500WithoutInternals() {
		BaseServerResponseException failed = catchThrowableOfType(
				() -> fhir.getFhirClient().read().resource(Patient.class).withId("broken").execute(),
				BaseServerResponseException.class);

		assertThat(failed.getStatusCode()).isEqualTo(500);
		OperationOutcome.OperationOutcomeIssueComponent issue = ((OperationOutcome) failed.getOperationOutcome())
			.getIssueFirstRep();
		assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-SRV-001");
		assertThat(issue.getDiagnostics()).doesNotContain("10.0.0.5");
	}

	@Test
	void theAdminApiAnswersACrosswalkExceptionWithTheSameOutcome() throws Exception {
		MockMvc admin = MockMvcBuilders.standaloneSetup(new Admin()).setControllerAdvice(new AdminErrors()).build();

		admin.perform(get("/admin/thing"))
			.andExpect(status().isConflict())
			.andExpect(content().contentType("application/fhir+json"))
			.andExpect(jsonPath("$.issue[0].details.coding[0].code").value("CW-REQ-004"))
			.andExpect(jsonPath("$.issue[0].details.text").value(ErrorCode.CONFLICT.definition().hint()))
			.andExpect(jsonPath("$.issue[0].diagnostics").value("Someone else changed it."));
	}

	static final class Refusing implements IResourceProvider {

		@Override
		public Class<Patient> getResourceType() {
			return Patient.class;
		}

		@Read
		public Patient read(@IdParam IdType id) {
			if ("conflict".equals(id.getIdPart())) {
				throw ErrorCode.CONFLICT.exception("Someone else changed it.");
			}
			throw new IllegalStateException("The database at 10.0.0.5 is down.");
		}

	}

	@RestController
	static final class Admin {

		@GetMapping("/admin/thing")
		String thing() {
			throw ErrorCode.CONFLICT.exception("Someone else changed it.");
		}

	}

}
