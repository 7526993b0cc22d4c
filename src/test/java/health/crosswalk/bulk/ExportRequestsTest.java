package health.crosswalk.bulk;

import java.util.List;
import java.util.Set;

import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import health.crosswalk.server.CrosswalkException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The export parameters refused at the kick-off, before HAPI's job could fail on them.
 */
class ExportRequestsTest {

	/** A search parser that knows Observation's code and Patient's family only. */
	private final ExportRequests requests = new ExportRequests(Set.of("Patient", "Observation"), (type, search) -> {
		String parameter = search.substring(search.indexOf('?') + 1).split("=")[0];
		if (!Set.of("Observation.code", "Patient.family").contains(type + "." + parameter)) {
			throw new IllegalArgumentException(type + " has no search parameter " + parameter);
		}
	});

	private static BulkExportJobParameters export(List<String> types, List<String> filters) {
		BulkExportJobParameters parameters = new BulkExportJobParameters();
		parameters.setResourceTypes(types);
		parameters.setFilters(filters);
		return parameters;
	}

	@Test
	void filtersOnExportedTypesWithTheirOwnParametersPass() {
		assertThatCode(() -> this.requests.check(export(List.of("Observation"), List.of("Observation?code=8867-4"))))
			.doesNotThrowAnyException();
		assertThatCode(() -> this.requests.check(export(List.of(), List.of("Patient?family=Okafor"))))
			.doesNotThrowAnyException();
		assertThatCode(() -> this.requests.check(new BulkExportJobParameters())).doesNotThrowAnyException();
	}

	@Test
	void malformedForeignOrUnknownFiltersAndMdmAreRefused() {
		List<BulkExportJobParameters> wrong = List.of(export(List.of(), List.of("nonsense")),
				export(List.of(), List.of("?code=1")), export(List.of(), List.of("Nonsense?code=1")),
				export(List.of("Patient"), List.of("Observation?code=1")),
				export(List.of(), List.of("Patient?nonsense=1")));
		for (BulkExportJobParameters parameters : wrong) {
			assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.requests.check(parameters))
				.satisfies((refused) -> assertThat(refused.error()).isEqualTo(BulkError.BAD_EXPORT_REQUEST));
		}
		BulkExportJobParameters postFetch = export(List.of(), List.of());
		postFetch.setPostFetchFilterUrls(List.of("Patient?nonsense=1"));
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.requests.check(postFetch));
		BulkExportJobParameters mdm = export(List.of(), List.of());
		mdm.setExpandMdm(true);
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.requests.check(mdm));
	}

}
