package health.crosswalk.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

/**
 * Runs a client's search as one SQL query per page: the page asked for ({@code _offset},
 * {@code _count}) is read directly, and the next link asks for the following one.
 *
 * <p>
 * HAPI otherwise stores each search (a search row, its result rows, updated as the search
 * runs on a thread of its own) so that its pages can be fetched later by id: six SQL
 * statements and a thread hand-off per search, for result sets that are mostly one page.
 * The trade: a next link runs the query again, so a resource written between two pages
 * can shift the pages, and {@code Bundle.total} is given when the results end on the page
 * (or when the client asks {@code _total=accurate}), not before. {@code $everything} and
 * history keep HAPI's stored pages, as does a search sorted by distance
 * ({@code _sort=near}).
 */
@Interceptor
final class OffsetPaging {

	private final int defaultPageSize;

	private final int maxPageSize;

	OffsetPaging(int defaultPageSize, int maxPageSize) {
		this.defaultPageSize = defaultPageSize;
		this.maxPageSize = maxPageSize;
	}

	@Hook(value = Pointcut.STORAGE_PRESEARCH_REGISTERED, order = Pipeline.PAGING)
	void searchRegistered(RequestDetails request, SearchParameterMap search) {
		if (appliesTo(request, search)) {
			page(search);
		}
	}

	boolean appliesTo(RequestDetails request, SearchParameterMap search) {
		return request != null && !(request instanceof SystemRequestDetails)
				&& request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE
				&& search.getEverythingMode() == null && !search.isLoadSynchronous() && search.getOffset() == null
				&& (search.getCount() == null || search.getCount() > 0) && !sortsByDistance(search);
	}

	/**
	 * Whether a search is sorted by {@code near}: HAPI 8.8 groups an offset query's rows
	 * to remove duplicates, which PostgreSQL refuses with the distance it sorts by (a
	 * 500), so such a search keeps HAPI's stored pages.
	 */
	private static boolean sortsByDistance(SearchParameterMap search) {
		for (SortSpec sort = search.getSort(); sort != null; sort = sort.getChain()) {
			if ("near".equals(sort.getParamName())) {
				return true;
			}
		}
		return false;
	}

	void page(SearchParameterMap search) {
		search.setOffset(0);
		search.setCount(
				(search.getCount() == null) ? this.defaultPageSize : Math.min(search.getCount(), this.maxPageSize));
	}

}
