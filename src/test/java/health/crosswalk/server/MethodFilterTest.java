package health.crosswalk.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MethodFilterTest {

	@Test
	void aPatchNeedsABodyAndATarget() {
		assertThat(MethodFilter.patchProblem("/fhir/Patient/1", null, 0)).contains("needs a body");
		assertThat(MethodFilter.patchProblem("/fhir/Patient", null, 20)).contains("needs the id");
		assertThat(MethodFilter.patchProblem("/fhir/Patient", "", -1)).contains("needs the id");
		assertThat(MethodFilter.patchProblem("/fhir/Patient/1", null, 20)).isNull();
		assertThat(MethodFilter.patchProblem("/fhir/Patient/1", null, -1)).as("chunked").isNull();
		assertThat(MethodFilter.patchProblem("/fhir/Patient", "identifier=urn:x|1", 20)).as("conditional").isNull();
	}

	@Test
	void historyPathsAreFound() {
		assertThat(MethodFilter.isHistoryPath("/fhir/Patient/1/_history/2")).isTrue();
		assertThat(MethodFilter.isHistoryPath("/fhir/_history")).isTrue();
		assertThat(MethodFilter.isHistoryPath("/fhir/Patient/1")).isFalse();
	}

}
