package health.crosswalk.server;

import java.sql.SQLException;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.NotImplementedOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorOutcomesTest {

	@Test
	void aBatchEntrysServerFailureKeepsItsInternalsInTheLog() {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
		bundle.addEntry()
			.getResponse()
			.setStatus("500 Internal Server Error")
			.setOutcome(entryOutcome(
					"HAPI-2223: Columns used for unreferenced tables [SELECT t0.RES_ID FROM HFJ_RESOURCE t0]"));
		bundle.addEntry()
			.getResponse()
			.setStatus("400 Bad Request")
			.setOutcome(entryOutcome("HAPI-0375: Invalid _count"));
		bundle.addEntry().getResponse().setStatus("200 OK");

		ErrorOutcomes.entryOutcomes(bundle, "r9");

		OperationOutcome failed = (OperationOutcome) bundle.getEntry().get(0).getResponse().getOutcome();
		assertThat(failed.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-SRV-001");
		assertThat(failed.getIssueFirstRep().getDiagnostics()).contains("entry 0").contains("r9").doesNotContain("HFJ");
		OperationOutcome refused = (OperationOutcome) bundle.getEntry().get(1).getResponse().getOutcome();
		assertThat(refused.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).startsWith("CW-REQ-");
		assertThat(refused.getIssueFirstRep().getDiagnostics()).isEqualTo("HAPI-0375: Invalid _count");
		assertThat(bundle.getEntry().get(2).getResponse().getOutcome()).isNull();
	}

	private static OperationOutcome entryOutcome(String diagnostics) {
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.EXCEPTION).setDiagnostics(diagnostics);
		return outcome;
	}

	@Test
	void parseErrorsAreBadRequests() {
		BaseServerResponseException response = ErrorOutcomes.toResponse(new DataFormatException("bad json"), "r1",
				false);

		assertThat(response.getStatusCode()).isEqualTo(400);
		assertThat(code(response)).isEqualTo("CW-REQ-001");
		assertThat(issue(response).getDiagnostics()).isEqualTo("bad json");
	}

	@Test
	void unexpectedFailuresAre500WithoutInternals() {
		BaseServerResponseException response = ErrorOutcomes
			.toResponse(new IllegalStateException("connection to 10.0.0.5 refused"), "req-42", false);

		assertThat(response.getStatusCode()).isEqualTo(500);
		assertThat(code(response)).isEqualTo("CW-SRV-001");
		assertThat(issue(response).getDiagnostics()).contains("req-42").doesNotContain("10.0.0.5");
	}

	@Test
	void hapisOwn500sAreAnsweredWithoutTheirInternals() {
		BaseServerResponseException response = ErrorOutcomes.toResponse(
				new InternalErrorException("HAPI-0389: Failed to call access method: ERROR: relation hfj_res_ver_pk"),
				"req-43", false);

		assertThat(response.getStatusCode()).isEqualTo(500);
		assertThat(code(response)).isEqualTo("CW-SRV-001");
		assertThat(issue(response).getDiagnostics()).contains("req-43").doesNotContain("hfj").doesNotContain("HAPI-");
	}

	@Test
	void hapisOther5xxKeepTheirStatusWithoutTheirMessage() {
		BaseServerResponseException response = ErrorOutcomes.toResponse(
				new NotImplementedOperationException("HAPI-1234: $process-message in JpaResourceDao"), "r9", false);

		assertThat(response.getStatusCode()).isEqualTo(501);
		assertThat(issue(response).getDiagnostics()).contains("r9").doesNotContain("JpaResourceDao");
	}

	@Test
	void theDatabasesDeadlinesAre503sNamingTheSetting() {
		BaseServerResponseException statement = ErrorOutcomes.toResponse(new InternalErrorException("HAPI-0389",
				new SQLException("ERROR: canceling statement due to statement timeout", "57014")), "r7", false);
		assertThat(statement.getStatusCode()).isEqualTo(503);
		assertThat(code(statement)).isEqualTo("CW-SRV-002");
		assertThat(issue(statement).getDetails().getText()).contains("crosswalk.db.statement-timeout");
		assertThat(issue(statement).getDiagnostics()).doesNotContain("HAPI");

		// HAPI keeps only the message of a failed search.
		assertThat(code(ErrorOutcomes.toResponse(
				new InternalErrorException("Search failed: ERROR: canceling statement due to statement timeout"), "r8",
				false)))
			.isEqualTo("CW-SRV-002");

		BaseServerResponseException idle = ErrorOutcomes.toResponse(
				new IllegalStateException("commit failed",
						new SQLException("FATAL: terminating connection due to idle-in-transaction timeout", "25P03")),
				"r9", false);
		assertThat(idle.getStatusCode()).isEqualTo(503);
		assertThat(code(idle)).isEqualTo("CW-SRV-003");
		assertThat(issue(idle).getDetails().getText()).contains("crosswalk.db.idle-in-transaction-timeout");

		// What is left once the rollback finds the session gone.
		assertThat(code(ErrorOutcomes.toResponse(new IllegalStateException("Unable to rollback against JDBC Connection",
				new SQLException("This connection has been closed.", "08003")), "r10", false)))
			.isEqualTo("CW-SRV-003");
	}

	@Test
	void aCollisionWithConcurrentWorkIsA503ToRetry() {
		BaseServerResponseException standby = ErrorOutcomes.toResponse(
				new InternalErrorException("HAPI-0389",
						new SQLException("ERROR: canceling statement due to conflict with recovery", "40001")),
				"r11", false);
		assertThat(standby.getStatusCode()).isEqualTo(503);
		assertThat(code(standby)).isEqualTo("CW-SRV-004");
		assertThat(issue(standby).getDiagnostics()).contains("rolled back").doesNotContain("HAPI");
		assertThat(code(ErrorOutcomes.toResponse(
				new IllegalStateException("flush", new SQLException("ERROR: deadlock detected", "40P01")), "r12",
				false)))
			.isEqualTo("CW-SRV-004");
		// HAPI keeps only the message of a failed search.
		assertThat(code(ErrorOutcomes.toResponse(
				new InternalErrorException("Search failed: ERROR: canceling statement due to conflict with recovery"),
				"r13", false)))
			.isEqualTo("CW-SRV-004");
		// Words in another failure's message are not the database's.
		assertThat(ErrorOutcomes
			.toResponse(new IllegalStateException("a deadlock detected in a client's text"), "r14", false)
			.getStatusCode()).isEqualTo(500);
	}

	@Test
	void aPlain503KeepsTheGenericCode() {
		assertThat(ErrorCode.forStatus(503)).isEqualTo(ErrorCode.INTERNAL_ERROR);
	}

	@Test
	void crosswalksOwn5xxOutcomesAreKept() {
		InternalErrorException unavailable = new InternalErrorException("audit not committed");
		unavailable
			.setOperationOutcome(Outcomes.error("CW-AUD-001", IssueType.TRANSIENT, "audit not committed", "retry"));

		assertThat(code(ErrorOutcomes.toResponse(unavailable, "r", false))).isEqualTo("CW-AUD-001");
	}

	@Test
	void versionConflictIs409UnlessTheClientSentIfMatch() {
		assertThat(ErrorOutcomes.toResponse(new ResourceVersionConflictException("not current"), "r", false)
			.getStatusCode()).isEqualTo(409);

		BaseServerResponseException withIfMatch = ErrorOutcomes
			.toResponse(new ResourceVersionConflictException("not current"), "r", true);
		assertThat(withIfMatch.getStatusCode()).isEqualTo(412);
		assertThat(code(withIfMatch)).isEqualTo("CW-REQ-006");
	}

	@Test
	void gets410ItsOwnCode() {
		assertThat(code(ErrorOutcomes.toResponse(new ResourceGoneException("gone"), "r", false)))
			.isEqualTo("CW-REQ-005");
	}

	@Test
	void keepsAnExistingOutcomeAndCodesItsErrors() {
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
			.setSeverity(IssueSeverity.ERROR)
			.setCode(IssueType.REQUIRED)
			.setDiagnostics("Patient.name: minimum required = 1");
		outcome.addIssue().setSeverity(IssueSeverity.WARNING).setDiagnostics("just a warning");

		BaseServerResponseException response = ErrorOutcomes
			.toResponse(new UnprocessableEntityException("invalid", outcome), "r", false);

		OperationOutcome sent = (OperationOutcome) response.getOperationOutcome();
		assertThat(sent.getIssue()).hasSize(2);
		assertThat(sent.getIssue().get(0).getDiagnostics()).isEqualTo("Patient.name: minimum required = 1");
		assertThat(sent.getIssue().get(0).getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-REQ-008");
		assertThat(sent.getIssue().get(1).getDetails().hasCoding()).isFalse();
	}

	@Test
	void codesAreStableAndUnique() {
		assertThat(ErrorCode.values()).extracting(ErrorCode::code)
			.doesNotHaveDuplicates()
			.allMatch((code) -> code.matches("CW-[A-Z]+-\\d{3}"));
	}

	private static OperationOutcome.OperationOutcomeIssueComponent issue(BaseServerResponseException response) {
		return ((OperationOutcome) response.getOperationOutcome()).getIssueFirstRep();
	}

	private static String code(BaseServerResponseException response) {
		return issue(response).getDetails()
			.getCoding()
			.stream()
			.filter((coding) -> Outcomes.SYSTEM.equals(coding.getSystem()))
			.findFirst()
			.orElseThrow()
			.getCode();
	}

}
