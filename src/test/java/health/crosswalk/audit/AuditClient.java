package health.crosswalk.audit;

import java.net.http.HttpResponse;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.FhirHttp;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls the server under a fresh request id and reads back, as an auditor, the audit
 * records of that request.
 */
public final class AuditClient {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final FhirHttp http;

	private final String auditor;

	public AuditClient(FhirHttp http, String auditor) {
		this.http = http;
		this.auditor = auditor;
	}

	/**
	 * Sends a FHIR request and checks its status.
	 * @return the request id it was sent under
	 */
	String call(String method, String path, String bearer, String body, int status) {
		return call(method, path, bearer, body, status, "application/fhir+json");
	}

	/**
	 * Sends a request and checks its status.
	 * @return the request id it was sent under
	 */
	String call(String method, String path, String bearer, String body, int status, String contentType) {
		String requestId = FhirHttp.requestId("audit");
		HttpResponse<String> response = this.http.send(method, path, bearer, (body != null) ? contentType : null, body,
				"X-Request-ID", requestId);
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
		return requestId;
	}

	public List<AuditEvent> events(String requestId) {
		return search("request-id=" + requestId + "&_count=200");
	}

	AuditEvent single(String requestId) {
		List<AuditEvent> events = events(requestId);
		assertThat(events).as("audit records of request " + requestId).hasSize(1);
		return events.get(0);
	}

	public List<AuditEvent> search(String query) {
		HttpResponse<String> response = this.http.get("/fhir/AuditEvent?" + query, this.auditor);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return FHIR.newJsonParser()
			.parseResource(Bundle.class, response.body())
			.getEntry()
			.stream()
			.map((entry) -> (AuditEvent) entry.getResource())
			.toList();
	}

}
