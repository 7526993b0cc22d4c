package health.crosswalk.limits;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.crosswalk.server.Pipeline;

/**
 * Checks a search's parameters once HAPI knows what the request does, before it handles
 * it ({@code SERVER_INCOMING_REQUEST_PRE_HANDLED} on the RestfulServer, outside any
 * transaction).
 */
final class SearchHooks {

	private final SearchModifiers modifiers;

	SearchHooks(SearchModifiers modifiers) {
		this.modifiers = modifiers;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = Pipeline.LIMITS)
	void preHandled(RequestDetails request, RestOperationTypeEnum operation) {
		this.modifiers.check(request, operation);
	}

}
