package health.crosswalk.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuditFilter} in front of a real HAPI RestfulServer on Jetty from HAPI's test
 * kit, with the audit trail behind its port and no Spring or database: no response leaves
 * before its record is durable, a response whose record cannot be made durable carries no
 * data, and requests HAPI's hooks recorded are only waited for.
 */
class AuditFilterTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final FakeRecorder recorder = new FakeRecorder();

	private static final HashMapResourceProvider<Patient> patients = new HashMapResourceProvider<>(FHIR, Patient.class);

	/** Refuses as Spring Security does, after the audit filter: {@code sendError}. */
	private static final Filter security = (request, response, chain) -> {
		if (((HttpServletRequest) request).getHeader("X-Refuse") != null) {
			((HttpServletResponse) response).sendError(401, "Unauthorized");
			return;
		}
		chain.doFilter(request, response);
	};

	@RegisterExtension
	static final RestfulServerExtension fhir = new RestfulServerExtension(FHIR, patients).withServletPath("/fhir/*")
		.withServletFilter(new AuditFilter(recorder))
		.withServletFilter(security)
		// What the audit hooks do for a request they record: queue it to commit.
		.registerAnonymousInterceptor(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, (pointcut, params) -> {
			ServletRequestDetails details = params.get(ServletRequestDetails.class);
			if (details != null && details.getHeader("X-Hook-Records") != null) {
				AuditContext.of(details.getServletRequest()).committing(new CompletableFuture<>());
			}
		});

	@BeforeEach
	void reset() {
		recorder.reset();
	}

	@Test
	void aResponseLeavesAfterItsRecord() throws Exception {
		String id = patients.store(named("Recorded")).getIdPart();

		HttpResponse<String> response = get("/Patient/" + id);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("Recorded");
		assertThat(recorder.recorded).singleElement().satisfies((record) -> {
			assertThat(record.status()).isEqualTo(200);
			assertThat(record.path()).isEqualTo("/fhir/Patient/" + id);
		});
	}

	@Test
	void aResponseWhoseRecordFailsCarriesNoData() throws Exception {
		String id = patients.store(named("Secret")).getIdPart();
		recorder.failing = true;

		HttpResponse<String> response = get("/Patient/" + id);

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("CW-AUD-001").doesNotContain("Secret");
	}

	@Test
	void anErrorIsRecordedWithItsMessageAndStillAnswered() throws Exception {
		recorder.failing = true;

		HttpResponse<String> response = get("/Patient/no-such-patient");

		assertThat(response.statusCode()).as("an error carries no data: it is answered").isEqualTo(404);
		assertThat(recorder.recorded).singleElement().satisfies((record) -> {
			assertThat(record.status()).isEqualTo(404);
			assertThat(record.body()).contains("OperationOutcome").contains("no-such-patient");
		});
	}

	@Test
	void aRefusalBeforeHapiIsRecorded() throws Exception {
		HttpResponse<String> response = HTTP
			.send(HttpRequest.newBuilder(uri("/Patient")).header("X-Refuse", "yes").build(), BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(recorder.recorded).singleElement().satisfies((record) -> assertThat(record.status()).isEqualTo(401));
	}

	@Test
	void aLargeResponseIsRecordedBeforeItsFirstBytesLeave() throws Exception {
		for (int i = 0; i < 60; i++) {
			patients.store(named("X".repeat(2000)));
		}

		HttpResponse<String> response = get("/Patient?_count=100");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body().length()).isGreaterThan(100_000);
		assertThat(recorder.recorded).as("recorded once, when the held bytes passed 64 KB").hasSize(1);
	}

	@Test
	void aLargeResponseWhoseRecordFailsCarriesNoData() throws Exception {
		for (int i = 0; i < 60; i++) {
			patients.store(named("Y".repeat(2000)));
		}
		recorder.failing = true;

		HttpResponse<String> response = get("/Patient?_count=100");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("CW-AUD-001").doesNotContain("YYYY");
	}

	@Test
	void aRequestTheHooksRecordedIsOnlyWaitedFor() throws Exception {
		String id = patients.store(named("Hooked")).getIdPart();

		HttpResponse<String> answered = HTTP.send(
				HttpRequest.newBuilder(uri("/Patient/" + id)).header("X-Hook-Records", "yes").build(),
				BodyHandlers.ofString());

		assertThat(answered.statusCode()).isEqualTo(200);
		assertThat(recorder.recorded).as("not recorded twice").isEmpty();
		assertThat(recorder.awaited).isPositive();
	}

	@Test
	void aResponseWhoseHookRecordFailsToCommitCarriesNoData() throws Exception {
		String id = patients.store(named("Uncommitted")).getIdPart();
		recorder.failing = true;

		HttpResponse<String> answered = HTTP.send(
				HttpRequest.newBuilder(uri("/Patient/" + id)).header("X-Hook-Records", "yes").build(),
				BodyHandlers.ofString());

		assertThat(answered.statusCode()).isEqualTo(503);
		assertThat(answered.body()).doesNotContain("Uncommitted");
	}

	@Test
	void theCapabilityStatementIsNotRecorded() throws Exception {
		assertThat(get("/metadata").statusCode()).isEqualTo(200);

		assertThat(recorder.recorded).isEmpty();
		assertThat(recorder.awaited).isZero();
	}

	private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), BodyHandlers.ofString());
	}

	private static URI uri(String path) {
		return URI.create(fhir.getBaseUrl() + path);
	}

	private static Patient named(String family) {
		Patient patient = new Patient();
		patient.addName().setFamily(family);
		return patient;
	}

	/** The audit trail as the filter sees it, in memory. */
	private static final class FakeRecorder implements AuditFilter.Recorder {

		private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

		private volatile boolean failing;

		private volatile int awaited;

		void reset() {
			this.recorded.clear();
			this.failing = false;
			this.awaited = 0;
		}

		@Override
		public boolean recordHttp(HttpServletRequest request, int status, String body) {
			this.recorded.add(new Recorded(request.getRequestURI(), status, body));
			AuditContext.of(request).recorded();
			return !this.failing;
		}

		@Override
		public boolean awaitCommitted(AuditContext context) {
			this.awaited++;
			return !this.failing;
		}

	}

	private record Recorded(String path, int status, String body) {

	}

}
