package health.crosswalk.server;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetPagingTest {

	private final OffsetPaging paging = new OffsetPaging(20, 200);

	@Test
	void aClientsSearchReadsItsFirstPageDirectly() {
		SearchParameterMap search = new SearchParameterMap();
		this.paging.searchRegistered(request(RestOperationTypeEnum.SEARCH_TYPE), search);
		assertThat(search.isOffsetQuery()).isTrue();
		assertThat(search.getOffset()).isZero();
		assertThat(search.getCount()).isEqualTo(20);
	}

	@Test
	void theClientsPageSizeIsKeptUpToTheMaximum() {
		SearchParameterMap small = new SearchParameterMap();
		small.setCount(5);
		this.paging.searchRegistered(request(RestOperationTypeEnum.SEARCH_TYPE), small);
		assertThat(small.getCount()).isEqualTo(5);
		SearchParameterMap large = new SearchParameterMap();
		large.setCount(5000);
		this.paging.searchRegistered(request(RestOperationTypeEnum.SEARCH_TYPE), large);
		assertThat(large.getCount()).isEqualTo(200);
	}

	@Test
	void everythingHistoryInternalAndOffsetSearchesAreLeftAlone() {
		SearchParameterMap everything = new SearchParameterMap();
		everything.setEverythingMode(SearchParameterMap.EverythingModeEnum.PATIENT_INSTANCE);
		this.paging.searchRegistered(request(RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE), everything);
		assertThat(everything.getOffset()).isNull();

		SearchParameterMap internal = new SearchParameterMap();
		this.paging.searchRegistered(new SystemRequestDetails(), internal);
		assertThat(internal.getOffset()).isNull();

		SearchParameterMap history = new SearchParameterMap();
		this.paging.searchRegistered(request(RestOperationTypeEnum.HISTORY_TYPE), history);
		assertThat(history.getOffset()).isNull();

		SearchParameterMap later = new SearchParameterMap();
		later.setOffset(40);
		later.setCount(20);
		this.paging.searchRegistered(request(RestOperationTypeEnum.SEARCH_TYPE), later);
		assertThat(later.getOffset()).isEqualTo(40);

		SearchParameterMap countOnly = new SearchParameterMap();
		countOnly.setCount(0);
		this.paging.searchRegistered(request(RestOperationTypeEnum.SEARCH_TYPE), countOnly);
		assertThat(countOnly.getOffset()).isNull();
	}

	private static RequestDetails request(RestOperationTypeEnum operation) {
		ServletRequestDetails request = new ServletRequestDetails();
		request.setRestOperationType(operation);
		return request;
	}

}
