package health.crosswalk.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * REST-level checks, registered on the RestfulServer: runs once per request, outside any
 * transaction, before HAPI handles it.
 */
@Interceptor
final class FhirRequestHooks {

	private final FhirAccessPolicy policy;

	FhirRequestHooks(FhirAccessPolicy policy) {
		this.policy = policy;
	}

	@Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
	void preHandled(RequestDetails request, RestOperationTypeEnum operation) {
		this.policy.checkRequest(Principals.of(request), operation, request.getResourceName(), request.getOperation());
	}

}
