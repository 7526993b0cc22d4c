package health.crosswalk.migration;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The FHIR API of a Crosswalk server, through HAPI's generic client with a bearer key.
 */
final class HttpServer implements FhirImport.Server {

	private final IGenericClient client;

	HttpServer(FhirContext fhir, String baseUrl, String key) {
		this.client = fhir.newRestfulGenericClient(baseUrl);
		this.client.registerInterceptor(new BearerTokenAuthInterceptor(key));
	}

	@Override
	public Bundle transaction(Bundle transaction) {
		try {
			return this.client.transaction().withBundle(transaction).execute();
		}
		catch (BaseServerResponseException ex) {
			if (ex.getStatusCode() >= 400 && ex.getStatusCode() < 500 && ex.getStatusCode() != 401
					&& ex.getStatusCode() != 429) {
				throw new FhirImport.Refused(reason(ex));
			}
			throw ex;
		}
	}

	static String reason(BaseServerResponseException ex) {
		if (!(ex.getOperationOutcome() instanceof OperationOutcome outcome) || !outcome.hasIssue()) {
			return ex.getStatusCode() + " " + ex.getMessage();
		}
		List<String> issues = new ArrayList<>();
		for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
			if (issue.getSeverity() == OperationOutcome.IssueSeverity.INFORMATION
					|| issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING) {
				continue;
			}
			String code = issue.getDetails()
				.getCoding()
				.stream()
				.map(Coding::getCode)
				.filter((c) -> c != null && c.startsWith("CW-"))
				.findFirst()
				.map((c) -> c + " ")
				.orElse("");
			String text = issue.hasDiagnostics() ? issue.getDiagnostics() : issue.getDetails().getText();
			issues.add(code + text + (issue.hasExpression() ? " (" + issue.getExpression().get(0) + ")" : ""));
		}
		return ex.getStatusCode() + " " + String.join("; ", issues);
	}

}
