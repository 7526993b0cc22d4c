package health.crosswalk.limits;

import java.time.Duration;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class TransactionTimeTest {

	@Test
	void aRequestWithinItsTimeMayStoreMore() {
		assertThatNoException()
			.isThrownBy(() -> new TransactionTime(Duration.ofMinutes(10)).check(new ServletRequestDetails()));
	}

	@Test
	void aRequestBeyondItsTimeIsRefusedAtItsNextResource() throws InterruptedException {
		ServletRequestDetails request = new ServletRequestDetails();
		Thread.sleep(20);
		assertThatExceptionOfType(BaseServerResponseException.class)
			.isThrownBy(() -> new TransactionTime(Duration.ofMillis(5)).check(request))
			.satisfies((refusal) -> {
				assertThat(refusal.getStatusCode()).isEqualTo(503);
				OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
				assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
					.isEqualTo("CW-LIM-011");
				assertThat(outcome.getIssueFirstRep().getDiagnostics())
					.contains("crosswalk.limits.max-transaction-time");
			});
	}

	@Test
	void internalRequestsAreNotBounded() throws InterruptedException {
		SystemRequestDetails request = new SystemRequestDetails();
		Thread.sleep(20);
		assertThatNoException().isThrownBy(() -> new TransactionTime(Duration.ofMillis(5)).check(request));
	}

}
