package health.crosswalk.fairshare;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.hospital.TestHospitals.TestHospital;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hospitals on one server: while one hospital's requests fill its lane (the
 * integration server runs with the shipped fair share: 4 running, 16 waiting, 5 s), the
 * other's are answered at once, the first's next request is refused 429 with Retry-After,
 * the refusal is audited, and the waiting requests run once a turn is free.
 */
class FairShareIT extends CrosswalkIntegrationTest {

	private static final int RUNNING = 4;

	private static final int WAITING = 16;

	@Test
	void oneHospitalsBurstQueuesOnlyItself() throws Exception {
		TestHospital busy = newHospital();
		TestHospital other = newHospital();
		FhirHttp http = new FhirHttp(serverUrl());
		String slow = "Slow" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		Blocker blocker = new Blocker(slow, RUNNING);
		RestfulServer server = context().getBean(RestfulServer.class);
		FairShare share = context().getBean(FairShare.class);
		server.getInterceptorService().registerInterceptor(blocker);
		ExecutorService clients = Executors.newFixedThreadPool(RUNNING + WAITING);
		try {
			List<Future<HttpResponse<String>>> burst = new ArrayList<>();
			for (int i = 0; i < RUNNING; i++) {
				burst.add(clients.submit(() -> http.get("/fhir/Patient?family=" + slow, busy.key())));
			}
			assertThat(blocker.running.await(60, TimeUnit.SECONDS)).as("the busy hospital's lane is full").isTrue();
			assertThat(share.running(busy.slug())).isEqualTo(RUNNING);

			HttpResponse<String> meanwhile = http.get("/fhir/Patient?family=Other", other.key());
			assertThat(meanwhile.statusCode()).as("another hospital is served at once").isEqualTo(200);

			for (int i = 0; i < WAITING; i++) {
				burst.add(clients.submit(() -> http.get("/fhir/Patient?family=" + slow, busy.key())));
			}
			await().atMost(3, TimeUnit.SECONDS).until(() -> share.waiting(busy.slug()) == WAITING);
			String refusedId = FhirHttp.requestId("fair");
			HttpResponse<String> refused = http.send("GET", "/fhir/Patient?family=Any", busy.key(), null, null,
					"X-Request-ID", refusedId);
			FhirHttp.assertOutcome(refused, 429, "CW-FAIR-001");
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");

			blocker.release.countDown();
			for (Future<HttpResponse<String>> request : burst) {
				assertThat(request.get(60, TimeUnit.SECONDS).statusCode()).as("each running or waiting request")
					.isEqualTo(200);
			}
			// The lane is given back as the filter chain unwinds, which may be just after
			// the client has read the whole response.
			await().atMost(5, TimeUnit.SECONDS).until(() -> share.running(busy.slug()) == 0);

			HttpResponse<String> audit = http.get("/fhir/AuditEvent?request-id=" + refusedId,
					TestHospitals.networkKey(context(), Role.AUDITOR));
			Bundle events = FHIR.newJsonParser().parseResource(Bundle.class, audit.body());
			assertThat(events.getEntry()).singleElement()
				.satisfies(
						(entry) -> assertThat(((AuditEvent) entry.getResource()).getOutcome().toCode()).isEqualTo("4"));
		}
		finally {
			blocker.release.countDown();
			server.getInterceptorService().unregisterInterceptor(blocker);
			clients.shutdownNow();
		}
	}

	/**
	 * Holds the searches for one family name until released, as slow requests would.
	 */
	@Interceptor
	static final class Blocker {

		final CountDownLatch running;

		final CountDownLatch release = new CountDownLatch(1);

		private final String family;

		Blocker(String family, int count) {
			this.family = family;
			this.running = new CountDownLatch(count);
		}

		@Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
		void handling(RequestDetails request) throws InterruptedException {
			String[] family = request.getParameters().get("family");
			if (family != null && this.family.equals(family[0])) {
				this.running.countDown();
				this.release.await(60, TimeUnit.SECONDS);
			}
		}

	}

}
