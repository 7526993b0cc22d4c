package health.crosswalk.limits;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BundleEntriesTest {

	private final BundleEntries entries = new BundleEntries(1000);

	@Test
	void admitsABundleOfAsManyEntriesAsTheLimit() {
		assertThatNoException().isThrownBy(() -> this.entries.check(bundle(1000)));
		assertThatNoException().isThrownBy(() -> this.entries.check(bundle(0)));
	}

	@Test
	void refusesABundleOfMoreEntriesWith413NamingTheLimit() {
		BaseServerResponseException refusal = catchThrowableOfType(() -> this.entries.check(bundle(1001)),
				BaseServerResponseException.class);
		assertThat(refusal).isNotNull();
		assertThat(refusal.getStatusCode()).isEqualTo(413);
		OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TOOCOSTLY);
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-LIM-007");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("1001 entries")
			.contains("1000")
			.contains("crosswalk.limits.max-bundle-entries");
	}

	private static Bundle bundle(int size) {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
		for (int i = 0; i < size; i++) {
			bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/" + i);
		}
		return bundle;
	}

}
