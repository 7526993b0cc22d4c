package health.crosswalk.linkage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.crosswalk.server.Disclosures;
import health.crosswalk.server.Pipeline;

/**
 * Tells the audit trail whom a {@code $ihe-pix} query asks about, as soon as HAPI has
 * read the request ({@code SERVER_INCOMING_REQUEST_POST_PROCESSED}, before authorization
 * or the lookup can refuse it), so that a refused or failed PIXm query is recorded with
 * the identifier it asked for. A query that answers names the records it disclosed
 * instead ({@link PixProvider}). Registered on the RestfulServer.
 */
@Interceptor
final class PixRequestHooks {

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = Pipeline.LINKAGE)
	boolean asked(RequestDetails request) {
		if (PixProvider.OPERATION.equals(request.getOperation()) && "Patient".equals(request.getResourceName())) {
			String[] values = request.getParameters().get(PixProvider.SOURCE_IDENTIFIER);
			if (values != null && values.length == 1) {
				int bar = values[0].indexOf('|');
				if (bar > 0 && bar < values[0].length() - 1) {
					Disclosures.asked(request, values[0].substring(0, bar), values[0].substring(bar + 1));
				}
			}
		}
		return true;
	}

}
