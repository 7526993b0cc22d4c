package health.crosswalk.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import health.crosswalk.server.Pipeline;

/**
 * REST-level checks, registered on the RestfulServer: runs once per request, outside any
 * transaction, before HAPI handles it. Paging requests are served only to callers of the
 * partition that ran the search.
 */
@Interceptor
final class FhirRequestHooks {

	private final FhirAccessPolicy policy;

	private final SearchPageOwners pageOwners;

	FhirRequestHooks(FhirAccessPolicy policy, SearchPageOwners pageOwners) {
		this.policy = policy;
		this.pageOwners = pageOwners;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = Pipeline.AUTHORIZE)
	void preHandled(RequestDetails request, RestOperationTypeEnum operation) {
		CrosswalkPrincipal principal = Principals.of(request);
		this.policy.checkRequest(principal, operation, request.getResourceName(), request.getOperation());
		this.policy.checkAuditorQuery(principal, request.getParameters().keySet());
		if (operation == RestOperationTypeEnum.GET_PAGE) {
			checkPageOwner(principal, request);
		}
	}

	private void checkPageOwner(CrosswalkPrincipal principal, RequestDetails request) {
		String[] searchIds = request.getParameters().get(Constants.PARAM_PAGINGACTION);
		String searchId = (searchIds != null && searchIds.length == 1) ? searchIds[0] : null;
		String caller = this.policy.partitionKey(principal);
		boolean owned = searchId != null && this.pageOwners.owner(searchId).map(caller::equals).orElse(false);
		if (!owned) {
			// Answered exactly like an expired search, so other
			// hospitals' links reveal nothing.
			throw new ResourceGoneException("Search ID \"" + searchId + "\" does not exist and may have expired");
		}
	}

}
