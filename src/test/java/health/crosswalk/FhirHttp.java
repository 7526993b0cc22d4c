package health.crosswalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.UUID;

import org.hl7.fhir.r4.model.OperationOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain HTTP calls for tests that need exact statuses, headers or malformed input.
 */
public final class FhirHttp {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final String serverUrl;

	public FhirHttp(String serverUrl) {
		this.serverUrl = serverUrl;
	}

	public HttpResponse<String> get(String path, String bearer) {
		return send(request(path, bearer).GET().build());
	}

	public HttpResponse<String> send(String method, String path, String bearer, String contentType, String body) {
		return send(method, path, bearer, contentType, body, new String[0]);
	}

	/**
	 * A request with extra headers, given as name, value, name, value...
	 */
	public HttpResponse<String> send(String method, String path, String bearer, String contentType, String body,
			String... headers) {
		HttpRequest.Builder request = request(path, bearer);
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(request.method(method, (body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody())
			.build());
	}

	public HttpResponse<String> getWithAuthorization(String path, String authorization) {
		return send(HttpRequest.newBuilder(URI.create(this.serverUrl + path))
			.header("Accept", "application/fhir+json")
			.header("Authorization", authorization)
			.GET()
			.build());
	}

	private HttpRequest.Builder request(String path, String bearer) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.serverUrl + path))
			.header("Accept", "application/fhir+json, application/json");
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return request;
	}

	/**
	 * A fresh request id the server keeps as sent ({@code X-Request-ID}: at most 16
	 * letters, digits, dots, dashes or underscores).
	 * @param prefix a few letters saying which test sent it
	 * @return the id
	 */
	public static String requestId(String prefix) {
		String random = UUID.randomUUID().toString().replace("-", "");
		return prefix + "-" + random.substring(0, 15 - prefix.length());
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Asserts an error response: status, an OperationOutcome and its Crosswalk code.
	 */
	public static OperationOutcome assertOutcome(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		OperationOutcome outcome = CrosswalkIntegrationTest.FHIR.newJsonParser()
			.parseResource(OperationOutcome.class, response.body());
		assertThat(outcome.getIssueFirstRep().getDetails().getCoding())
			.anyMatch((coding) -> "urn:crosswalk:error".equals(coding.getSystem()) && code.equals(coding.getCode()));
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank();
		return outcome;
	}

}
