package health.crosswalk.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.entity.Search;
import ca.uhn.fhir.jpa.search.cache.ISearchCacheSvc;
import ca.uhn.fhir.jpa.model.search.SearchStatusEnum;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored search that asked for no accurate total ({@code $everything}, stopped after
 * its first prefetch, the page and one more) has no total in HAPI's answer either, and
 * its pages follow each other as before.
 */
class SearchTotalsIT extends CrosswalkIntegrationTest {

	@Test
	void everythingsTotalIsAnsweredAsHapiDoesWithoutReadingTheSearchBack() {
		ISearchCoordinatorSvc<?> coordinator = context().getBean(ISearchCoordinatorSvc.class);
		assertThat(SearchTotals.isWrapped(coordinator)).isTrue();
		Reference patient = newPatient(client());
		List<String> expected = new ArrayList<>(List.of(patient.getReferenceElement().getIdPart()));
		for (int i = 0; i < 24; i++) {
			expected.add(newObservation(client(), patient));
		}

		Bundle page = client().operation()
			.onInstance(patient.getReferenceElement())
			.named("$everything")
			.withNoParameters(Parameters.class)
			.returnResourceType(Bundle.class)
			.execute();

		assertThat(page.hasTotal()).isFalse();
		String uuid = UriComponentsBuilder.fromUriString(page.getLink(Bundle.LINK_NEXT).getUrl())
			.build()
			.getQueryParams()
			.getFirst("_getpages");
		Optional<Search> stored = context().getBean(ISearchCacheSvc.class)
			.fetchByUuid(uuid, RequestPartitionId.allPartitions());
		assertThat(stored).hasValueSatisfying((search) -> {
			assertThat(search.getStatus()).isEqualTo(SearchStatusEnum.PASSCMPLET);
			assertThat(search.getTotalCount()).isNull();
			assertThat(search.getSearchParameterMap()).hasValueSatisfying(
					(map) -> assertThat(map.getSearchTotalMode()).isNotEqualTo(SearchTotalModeEnum.ACCURATE));
		});
		assertThat(SearchTotals.remembers(coordinator, uuid)).as("answered from memory").isTrue();
		Optional<Integer> hapis = SearchTotals.unwrap(coordinator)
			.getSearchTotal(uuid, null, RequestPartitionId.allPartitions());
		assertThat(coordinator.getSearchTotal(uuid, null, RequestPartitionId.allPartitions())).isEqualTo(hapis)
			.isEmpty();

		List<String> seen = new ArrayList<>();
		for (int pages = 1; pages <= 5; pages++) {
			page.getEntry().forEach((entry) -> seen.add(entry.getResource().getIdElement().getIdPart()));
			if (page.getLink(Bundle.LINK_NEXT) == null) {
				break;
			}
			page = client().loadPage().next(page).execute();
		}
		assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
	}

}
