package health.crosswalk.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.IAnonymousInterceptor;
import ca.uhn.fhir.interceptor.api.IBaseInterceptorBroadcaster.IInvoker;
import ca.uhn.fhir.interceptor.api.IInterceptorBroadcaster;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.CompositeInterceptorBroadcaster;
import health.crosswalk.CoreResources;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order in which Crosswalk's hooks run on a real write and a real read, as HAPI calls
 * them: a probe first at every pointcut records which pointcuts the request passes, and
 * for each the live interceptor services say which of Crosswalk's hooks run there, in
 * order.
 */
class PipelineIT extends CrosswalkIntegrationTest {

	private static final String PROBE_HEADER = "X-Pipeline-Probe";

	private static final List<Pointcut> SERVER_POINTCUTS = List.of(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED,
			Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED,
			Pointcut.SERVER_OUTGOING_RESPONSE);

	private static final List<Pointcut> STORAGE_POINTCUTS = List.of(Pointcut.STORAGE_PARTITION_IDENTIFY_ANY,
			Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED,
			Pointcut.STORAGE_PRESHOW_RESOURCES);

	private final String probe = UUID.randomUUID().toString();

	private final Queue<Pointcut> fired = new ConcurrentLinkedQueue<>();

	private final IAnonymousInterceptor recorder = this::record;

	private IInterceptorService rest;

	private IInterceptorService storage;

	@BeforeEach
	void attachProbe() {
		this.rest = context().getBean(RestfulServer.class).getInterceptorService();
		this.storage = context().getBean(IInterceptorService.class);
		SERVER_POINTCUTS
			.forEach((pointcut) -> this.rest.registerAnonymousInterceptor(pointcut, Integer.MIN_VALUE, this.recorder));
		STORAGE_POINTCUTS.forEach(
				(pointcut) -> this.storage.registerAnonymousInterceptor(pointcut, Integer.MIN_VALUE, this.recorder));
	}

	@AfterEach
	void detachProbe() {
		this.rest.unregisterInterceptor(this.recorder);
		this.storage.unregisterInterceptor(this.recorder);
	}

	@Test
	void aWriteIsAuthorizedThenLimitedThenValidatedThenLinkedThenAudited() {
		probedClient().create().resource(CoreResources.PATIENT.create(unique("mrn"), null)).execute();

		List<String> hooks = hooksRun();

		assertThat(hooks).containsSubsequence("FhirRequestHooks.preHandled", "FhirStorageHooks.identifyPartition",
				"FhirStorageHooks.creating", "LimitHooks.creating", "LinkageHooks.creating", "LimitHooks.created",
				"ProfileHooks.created", "LinkageHooks.created", "AuditHooks$Storage.created",
				"AuditHooks$Rest.responding", "StoredTextReads.outgoing");
		assertThat(hooks).last().isEqualTo("StoredTextReads.outgoing");
	}

	@Test
	void aReadIsAuthorizedThenWithheldThenLinkedThenAudited() {
		IIdType id = client().create()
			.resource(CoreResources.PATIENT.create(unique("mrn"), null))
			.execute()
			.getId()
			.toUnqualifiedVersionless();
		this.fired.clear();

		probedClient().read().resource(Patient.class).withId(id).execute();

		List<String> hooks = hooksRun();
		assertThat(hooks).containsSubsequence("FhirRequestHooks.preHandled", "FhirStorageHooks.identifyPartition",
				"FhirStorageHooks.showing", "LinkageHooks.showing", "AuditHooks$Rest.responding",
				"StoredTextReads.outgoing");
		assertThat(hooks).doesNotContain("ProfileHooks.created");
		assertThat(hooks).last().isEqualTo("StoredTextReads.outgoing");
	}

	private IGenericClient probedClient() {
		IGenericClient client = client();
		AdditionalRequestHeadersInterceptor headers = new AdditionalRequestHeadersInterceptor();
		headers.addHeaderValue(PROBE_HEADER, this.probe);
		client.registerInterceptor(headers);
		return client;
	}

	private void record(Object pointcut, HookParams params) {
		RequestDetails request = params.get(RequestDetails.class);
		if (request != null && this.probe.equals(request.getHeader(PROBE_HEADER))) {
			this.fired.add((Pointcut) pointcut);
		}
	}

	/**
	 * Crosswalk's hooks in the order they ran: for each pointcut the request passed,
	 * those HAPI calls there, from both services as HAPI combines them for a client's
	 * request.
	 */
	private List<String> hooksRun() {
		IInterceptorBroadcaster both = CompositeInterceptorBroadcaster.newCompositeBroadcaster(this.storage, this.rest);
		List<String> hooks = new ArrayList<>();
		for (Pointcut pointcut : this.fired) {
			IInterceptorBroadcaster service = SERVER_POINTCUTS.contains(pointcut) ? this.rest : both;
			List<String> here = new ArrayList<>();
			for (IInvoker invoker : service.getInvokersForPointcut(pointcut)) {
				String hook = invoker.getHookDescription();
				if (hook.startsWith("health.crosswalk.")) {
					here.add(hook.substring(hook.lastIndexOf('.', hook.lastIndexOf('.') - 1) + 1));
				}
			}
			assertThat(here).as("hooks at " + pointcut).doesNotHaveDuplicates();
			hooks.addAll(here);
		}
		return hooks;
	}

}
