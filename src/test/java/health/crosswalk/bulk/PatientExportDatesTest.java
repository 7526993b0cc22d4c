package health.crosswalk.bulk;

import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.bulk.export.model.ExportPIDIteratorParameters;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import org.hl7.fhir.instance.model.api.IBaseResource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PatientExportDatesTest {

	private static final Date SINCE = Date.from(java.time.Instant.parse("2026-01-02T03:04:05.678Z"));

	private static final Date UNTIL = Date.from(java.time.Instant.parse("2026-02-01T00:00:00Z"));

	@Test
	void aTypeWithoutFiltersGetsTheDatesAsAFilterOfItsOwn() {
		assertThat(PatientExportDates.dated("Observation", null, SINCE, null))
			.containsExactly("Observation?_lastUpdated=ge2026-01-02T03:04:05.678Z");
		assertThat(PatientExportDates.dated("Observation", List.of("Condition?clinical-status=active"), SINCE, UNTIL))
			.containsExactly("Condition?clinical-status=active",
					"Observation?_lastUpdated=ge2026-01-02T03:04:05.678Z&_lastUpdated=le2026-02-01T00:00:00.000Z");
	}

	@Test
	void onlyThePatientLevelQueryGetsTheDatesAndItsParametersKeepTheExportsFilters() {
		List<List<String>> seen = new java.util.ArrayList<>();
		PatientExportDates dates = new PatientExportDates(new IBulkExportProcessor<>() {

			@Override
			public Iterator<JpaPid> getResourcePidIterator(ExportPIDIteratorParameters parameters) {
				seen.add(parameters.getFilters());
				return java.util.Collections.emptyIterator();
			}

			@Override
			public void expandMdmResources(List<IBaseResource> resources) {
			}

			@Override
			public Set<String> getPatientSetForGroupExport(ExportPIDIteratorParameters parameters) {
				return Set.of();
			}

			@Override
			public Set<String> getPatientSetForPatientExport(ExportPIDIteratorParameters parameters) {
				return Set.of();
			}

		});
		for (ExportStyle style : List.of(ExportStyle.PATIENT, ExportStyle.GROUP, ExportStyle.SYSTEM)) {
			ExportPIDIteratorParameters parameters = new ExportPIDIteratorParameters();
			parameters.setExportStyle(style);
			parameters.setResourceType("Observation");
			parameters.setFilters(List.of());
			parameters.setStartDate(SINCE);
			dates.getResourcePidIterator(parameters);
			assertThat(parameters.getFilters()).isEmpty();
		}
		assertThat(seen).containsExactly(List.of("Observation?_lastUpdated=ge2026-01-02T03:04:05.678Z"), List.of(),
				List.of());
	}

	@Test
	void theExportsDatesReplaceAFiltersOwnAsHapiDoesAtTheOtherLevels() {
		assertThat(PatientExportDates.dated("Observation",
				List.of("Observation?_lastUpdated=gt2020-01-01&status=final", "Observation?"), SINCE, null))
			.containsExactly("Observation?status=final&_lastUpdated=ge2026-01-02T03:04:05.678Z",
					"Observation?_lastUpdated=ge2026-01-02T03:04:05.678Z");
	}

	@Test
	void eachFilterOfTheTypeGetsTheDatesOthersStayAsTheyAre() {
		assertThat(PatientExportDates.dated("Observation",
				List.of("Observation?status=final", "Observation?code=1234-5", "Patient?gender=female"), null, UNTIL))
			.containsExactly("Observation?status=final&_lastUpdated=le2026-02-01T00:00:00.000Z",
					"Observation?code=1234-5&_lastUpdated=le2026-02-01T00:00:00.000Z", "Patient?gender=female");
	}

}
