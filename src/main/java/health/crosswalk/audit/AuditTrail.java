package health.crosswalk.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.ServletRequestTracing;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Disclosures;
import health.crosswalk.server.JobDisclosure;
import health.crosswalk.storage.BeforeCommit;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;

/**
 * Records interactions: the plain code behind the audit hooks and the audit filter.
 *
 * <ul>
 * <li>Writes are recorded inside their own transaction, appended just before it commits,
 * so a write and its record commit or roll back together.</li>
 * <li>Everything else (reads, searches, operations, bundles, refusals and failures) is
 * recorded through the group commit before the response is written; if that fails, the
 * request is answered 503 instead of with data.</li>
 * </ul>
 */
final class AuditTrail implements AuditFilter.Recorder {

	private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

	private final AuditEventFactory factory;

	private final GroupCommit groupCommit;

	private final AuditStore store;

	private final Touches touches;

	private final LongSupplier clock;

	AuditTrail(AuditEventFactory factory, GroupCommit groupCommit, AuditStore store, Touches touches,
			LongSupplier clock) {
		this.factory = factory;
		this.groupCommit = groupCommit;
		this.store = store;
		this.touches = touches;
		this.clock = clock;
	}

	/**
	 * Records a REST interaction HAPI is about to answer.
	 * @param request the request
	 * @param response the resource about to be returned, or null
	 * @param status the HTTP status about to be returned
	 * @throws AuditUnavailableException if the record could not be made durable
	 */
	void recordResponse(RequestDetails request, IBaseResource response, int status) {
		AuditContext context = AuditContext.of(request);
		if (context != null && context.isRecorded()) {
			return;
		}
		RestOperationTypeEnum operation = request.getRestOperationType();
		if (operation == RestOperationTypeEnum.METADATA) {
			return;
		}
		AuditFacts facts = facts(request, status);
		List<AuditRow> rows = new ArrayList<>();
		switch (facts.interaction) {
			case "create", "update", "patch", "delete" -> {
				if (context != null && context.writes() > 0) {
					// Recorded with the write, in its transaction.
					context.recorded();
					return;
				}
				facts.touches.addAll(this.touches.of(Interactions.resourcesOf(response), true));
			}
			case "transaction", "batch" -> rows.addAll(entries(request, facts, response));
			case "read", "vread", "history-instance" ->
				facts.touches.addAll(this.touches.of(Interactions.resourcesOf(response), true));
			default -> {
				facts.query = Interactions.query(request);
				if (!"AuditEvent".equals(request.getResourceName())) {
					facts.touches.addAll(this.touches.of(Interactions.resourcesOf(response), false));
				}
				disclosed(request, facts);
				if (facts.touches.isEmpty()) {
					Interactions.patientFromParameters(request, facts);
				}
			}
		}
		rows.addAll(0, this.factory.rows(facts, this.clock.getAsLong()));
		if (context != null) {
			// The audit filter holds the response until the commit is done, so the commit
			// overlaps with writing the response.
			context.committing(this.groupCommit.submit(rows));
		}
		else {
			this.groupCommit.append(rows);
		}
	}

	/**
	 * Waits until a request's queued records are committed.
	 * @param context the request's context
	 * @return false if they could not be committed in time
	 */
	@Override
	public boolean awaitCommitted(AuditContext context) {
		CompletableFuture<Void> committing = context.committing();
		if (committing == null) {
			return true;
		}
		try {
			this.groupCommit.await(committing);
			return true;
		}
		catch (AuditUnavailableException ex) {
			log.error("The audit records of a response could not be committed; it is answered 503 instead: {}",
					ex.getMessage());
			return false;
		}
	}

	/**
	 * Records a REST interaction that failed or was refused, before HAPI answers it.
	 * Never throws: a failure to record is logged, and the error answer carries no data.
	 * @param request the request
	 * @param failure what HAPI is about to answer
	 */
	void recordFailure(RequestDetails request, BaseServerResponseException failure) {
		AuditContext context = AuditContext.of(request);
		if (context != null && context.isRecorded()) {
			return;
		}
		AuditFacts facts = facts(request, failure.getStatusCode());
		facts.outcomeDescription = Interactions.describe(failure.getStatusCode(), failure.getOperationOutcome(),
				failure.getMessage());
		if (facts.interaction.startsWith("search") || "operation".equals(facts.interaction)) {
			facts.query = Interactions.query(request);
		}
		if (facts.target == null) {
			// Refused before HAPI parsed the URL: read the resource from the path.
			RestPaths.Inferred inferred = Interactions.inferFromPath(request);
			facts.target = Interactions.clean(inferred.target());
			facts.resourceType = (facts.resourceType != null) ? facts.resourceType
					: Interactions.clean(inferred.resourceType());
		}
		Interactions.addTargetPatient(facts);
		disclosed(request, facts);
		if (facts.touches.isEmpty()) {
			askedAbout(request, facts);
		}
		append(facts, context);
	}

	/**
	 * Records a request that HAPI did not answer: refused by security before it, or an
	 * administrative request. Never throws.
	 * @param request the servlet request
	 * @param status the status being answered
	 * @param body the start of the response body, for an error's code and message
	 * @return false if the record could not be made durable
	 */
	@Override
	public boolean recordHttp(HttpServletRequest request, int status, String body) {
		AuditFacts facts = new AuditFacts();
		facts.principal = Principals.of(request);
		facts.clientAddress = request.getRemoteAddr();
		facts.requestId = Interactions.clean(ServletRequestTracing.getOrGenerateRequestId(request));
		facts.status = status;
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String method = request.getMethod();
		if (path.startsWith("/admin")) {
			facts.kind = AuditFacts.Kind.ADMIN;
			facts.interaction(method + " " + Interactions.adminRoute(path), Interactions.actionOfMethod(method));
			facts.adminPath = Interactions.clean(path);
		}
		else {
			RestPaths.Inferred inferred = RestPaths.infer(method, path.replaceFirst("^/fhir/?", ""));
			facts.interaction(inferred.interaction(), AuditFacts.actionOf(inferred.interaction()));
			facts.operation = Interactions.clean(inferred.operation());
			facts.target = Interactions.clean(inferred.target());
			facts.resourceType = Interactions.clean(inferred.resourceType());
			if (request.getQueryString() != null || facts.interaction.startsWith("search")) {
				facts.query = Interactions.clean(method + " " + path.replaceFirst("^/fhir/?", "")
						+ ((request.getQueryString() != null) ? "?" + request.getQueryString() : ""));
			}
			Interactions.addTargetPatient(facts);
		}
		facts.outcomeDescription = (status >= 400) ? Interactions.describeBody(status, body) : String.valueOf(status);
		AuditContext context = AuditContext.of(request);
		return append(facts, context);
	}

	/**
	 * Records a write inside its transaction; the record is appended just before the
	 * transaction commits.
	 * @param request the request
	 * @param interaction {@code create}, {@code update} or {@code delete}
	 * @param resource the resource written
	 */
	void recordWrite(RequestDetails request, String interaction, IBaseResource resource) {
		if (Principals.isInternal(request)) {
			return;
		}
		RestOperationTypeEnum operation = request.getRestOperationType();
		String code = ("update".equals(interaction) && operation == RestOperationTypeEnum.PATCH) ? "patch"
				: interaction;
		AuditFacts facts = new AuditFacts().interaction(code, AuditFacts.actionOf(code));
		facts.principal = Principals.of(request);
		facts.clientAddress = Interactions.clientAddress(request);
		facts.requestId = Interactions.requestIdOf(request);
		facts.status = "create".equals(code) ? 201 : 200;
		facts.outcomeDescription = String.valueOf(facts.status);
		if (operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH) {
			boolean batch = request.getResource() instanceof Bundle bundle
					&& bundle.getType() == Bundle.BundleType.BATCH;
			facts.bundle = "entry of a " + (batch ? "batch" : "transaction") + " bundle";
		}
		else if (request.isSubRequest()) {
			facts.bundle = "entry of a bundle";
		}
		facts.touches.addAll(this.touches.of(List.of(resource), true));
		List<AuditRow> rows = this.factory.rows(facts, this.clock.getAsLong());
		appendInTransaction(rows);
		AuditContext context = AuditContext.of(request);
		if (context != null) {
			context.wrote(rows.size());
		}
	}

	private boolean append(AuditFacts facts, AuditContext context) {
		try {
			List<AuditRow> rows = this.factory.rows(facts, this.clock.getAsLong());
			if (context != null) {
				context.committing(this.groupCommit.submit(rows));
				return awaitCommitted(context);
			}
			this.groupCommit.append(rows);
			return true;
		}
		catch (AuditUnavailableException ex) {
			log.error("Could not record {} {} answered {}: {}", facts.interaction,
					(facts.target != null) ? facts.target : "", facts.status, ex.getMessage());
			return false;
		}
		finally {
			if (context != null) {
				context.recorded();
			}
		}
	}

	private void appendInTransaction(List<AuditRow> rows) {
		// One batch per transaction, appended on its connection just before it commits.
		BeforeCommit.add(this, rows, this.store::appendInCurrentTransaction);
	}

	private List<AuditRow> entries(RequestDetails request, AuditFacts bundleFacts, IBaseResource response) {
		List<AuditRow> rows = new ArrayList<>();
		if (!(request.getResource() instanceof Bundle requested) || !(response instanceof Bundle answered)) {
			return rows;
		}
		for (int i = 0; i < requested.getEntry().size() && i < answered.getEntry().size(); i++) {
			BundleEntryComponent in = requested.getEntry().get(i);
			BundleEntryComponent out = answered.getEntry().get(i);
			String method = (in.getRequest().getMethod() != null) ? in.getRequest().getMethod().toCode() : "GET";
			int status = Interactions.statusOf(out.getResponse().getStatus());
			boolean read = "GET".equals(method) || "HEAD".equals(method);
			if (!read && status < 400) {
				// A successful write is recorded in its transaction.
				continue;
			}
			String url = Interactions.clean(in.getRequest().getUrl());
			RestPaths.Inferred inferred = RestPaths.infer(method, (url != null) ? url.replaceFirst("\\?.*", "") : "");
			AuditFacts facts = new AuditFacts().interaction(inferred.interaction(),
					AuditFacts.actionOf(inferred.interaction()));
			facts.principal = bundleFacts.principal;
			facts.clientAddress = bundleFacts.clientAddress;
			facts.requestId = bundleFacts.requestId;
			facts.bundle = "entry of a " + bundleFacts.interaction + " bundle";
			facts.status = status;
			facts.operation = inferred.operation();
			facts.target = inferred.target();
			boolean search = !inferred.interaction().equals("read") && !inferred.interaction().equals("vread");
			if (search) {
				// Refused or not, a search is a query in BALP's pattern.
				facts.query = method + " " + url;
			}
			if (status >= 400) {
				facts.outcomeDescription = Interactions.describe(status, out.getResponse().getOutcome(), null);
			}
			else {
				facts.outcomeDescription = String.valueOf(status);
				facts.touches.addAll(this.touches.of(Interactions.resourcesOf(out.getResource()), !search));
			}
			Interactions.addTargetPatient(facts);
			rows.addAll(this.factory.rows(facts, this.clock.getAsLong()));
		}
		return rows;
	}

	/**
	 * Records what a background job of the server disclosed to a hospital of patients
	 * kept elsewhere: one record per patient, naming the hospital that keeps it,
	 * committed before the job goes on. An uncommitted record stops the job
	 * ({@link AuditUnavailableException}).
	 * @param disclosure what the job disclosed
	 */
	@EventListener
	void jobDisclosed(JobDisclosure disclosure) {
		if (disclosure.patients().isEmpty()) {
			return;
		}
		AuditFacts facts = new AuditFacts();
		facts.interaction("operation", 'E');
		facts.operation = disclosure.operation();
		facts.requester = Interactions.clean(
				"job " + disclosure.job() + " of " + disclosure.operation() + " for hospital " + disclosure.hospital());
		facts.requesterHospital = disclosure.hospital();
		facts.status = 200;
		facts.outcomeDescription = Interactions.clean("200: the job read this patient's records at the hospital that "
				+ "keeps them, linked to a patient of hospital " + disclosure.hospital() + ", into that hospital's "
				+ disclosure.operation() + " files");
		for (Disclosures.Disclosed disclosed : disclosure.patients()) {
			facts.touches.add(touch(disclosed, disclosure.hospital()));
		}
		this.groupCommit.append(this.factory.rows(facts, this.clock.getAsLong()));
	}

	/**
	 * The patient a failed or refused operation asked about, by identifier, when it
	 * disclosed no record.
	 */
	private static void askedAbout(RequestDetails request, AuditFacts facts) {
		Disclosures.Asked asked = Disclosures.askedOf(request);
		if (asked != null) {
			facts.touches.add(new AuditFacts.Touch(null, List.of(), Set.of(),
					new Identifier().setSystem(Interactions.clean(asked.system()))
						.setValue(Interactions.clean(asked.value()))));
		}
	}

	/** The patients an operation disclosed beside the resources it answered. */
	private static void disclosed(RequestDetails request, AuditFacts facts) {
		String caller = (facts.principal != null) ? facts.principal.hospitalSlug() : null;
		for (Disclosures.Disclosed disclosed : Disclosures.made(request)) {
			facts.touches.add(touch(disclosed, caller));
		}
	}

	/**
	 * A patient disclosed to a hospital: the hospital that keeps the record is its
	 * custodian when it is another.
	 */
	private static AuditFacts.Touch touch(Disclosures.Disclosed disclosed, String to) {
		Identifier identifier = (disclosed.identifierValue() != null)
				? new Identifier().setSystem(disclosed.identifierSystem()).setValue(disclosed.identifierValue()) : null;
		Set<String> custodians = (disclosed.hospital() != null && !disclosed.hospital().equals(to))
				? Set.of(disclosed.hospital()) : Set.of();
		return new AuditFacts.Touch(disclosed.patient(), List.of(), custodians, identifier);
	}

	private AuditFacts facts(RequestDetails request, int status) {
		AuditFacts facts = new AuditFacts();
		String interaction = Interactions.interactionOf(request);
		if ("transaction".equals(interaction) && request.getResource() instanceof Bundle bundle
				&& bundle.getType() == Bundle.BundleType.BATCH) {
			// HAPI serves both bundle kinds through one method.
			interaction = "batch";
		}
		facts.interaction(interaction, AuditFacts.actionOf(interaction));
		String operation = request.getOperation();
		facts.operation = (operation != null && operation.startsWith("$")) ? Interactions.clean(operation) : null;
		facts.principal = Principals.of(request);
		facts.clientAddress = Interactions.clientAddress(request);
		facts.requestId = Interactions.requestIdOf(request);
		facts.status = status;
		facts.outcomeDescription = String.valueOf(status);
		facts.resourceType = Interactions.clean(request.getResourceName());
		if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
			facts.target = Interactions.clean(request.getResourceName() + "/" + request.getId().getIdPart());
		}
		return facts;
	}

}
