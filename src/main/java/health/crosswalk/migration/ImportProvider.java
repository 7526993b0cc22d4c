package health.crosswalk.migration;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;

/**
 * The FHIR {@code $import} operation: an asynchronous kick-off that queues a job for the
 * requester's hospital, and {@code $import-poll-status} to follow it (202 with
 * {@code X-Progress} while it waits or runs, 200 with its report once it ends), or to
 * cancel it (DELETE). A job and its report answer its requester alone.
 */
final class ImportProvider {

	static final String POLL = "$import-poll-status";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final FhirContext fhir;

	private final ImportJobs jobs;

	private final Set<String> resourceTypes;

	private final List<String> allowedUrls;

	private final int maxRunning;

	ImportProvider(FhirContext fhir, ImportJobs jobs, List<String> allowedUrls, int maxRunning) {
		this.fhir = fhir;
		this.jobs = jobs;
		this.resourceTypes = fhir.getResourceTypes();
		this.allowedUrls = List.copyOf(allowedUrls);
		this.maxRunning = maxRunning;
	}

	/**
	 * Queues an import into the caller's hospital.
	 * @param request the request
	 * @param parameters what to import
	 * @throws IOException if the answer cannot be written
	 */
	@Operation(name = "$import", idempotent = false, manualResponse = true)
	public void kickOff(ServletRequestDetails request, @ResourceParam Parameters parameters) throws IOException {
		String prefer = request.getHeader(Constants.HEADER_PREFER);
		if (prefer == null || !prefer.contains(Constants.HEADER_PREFER_RESPOND_ASYNC)) {
			throw ImportError.BAD_REQUEST.exception("$import runs asynchronously: send Prefer: respond-async.");
		}
		CrosswalkPrincipal principal = Principals.of(request);
		if (principal == null || !principal.hasHospital() || principal.subject() == null
				|| principal.subject().isBlank()) {
			throw ImportError.NO_OWNER.exception("This credential names no requester that could own an import.");
		}
		ImportRequest asked = ImportRequest.of(parameters, base(request), this.resourceTypes, this.allowedUrls);
		String owner = ownerOf(principal);
		UUID id = this.jobs
			.queue(principal.hospitalSlug(), principal.hospital().partitionId(), owner, asked.source(),
					asked.inputsJson(), this.maxRunning)
			.orElseThrow(() -> ImportError.TOO_MANY_IMPORTS.exception(
					"You have " + this.maxRunning + " imports queued or running (crosswalk.import.max-running)."));
		String location = base(request) + "/" + POLL + "?_jobId=" + id;
		HttpServletResponse response = request.getServletResponse();
		request.getServer().addHeadersToResponse(response);
		response.addHeader(Constants.HEADER_CONTENT_LOCATION, location);
		write(response, 202, new OperationOutcome().addIssue(info("Import " + id + " of " + asked.inputs().size()
				+ " file(s) from source '" + asked.source() + "' is queued; poll " + location + ".")));
	}

	/**
	 * An import's status and report, or its cancellation (DELETE).
	 * @param jobId the job, as the kick-off's Content-Location names it
	 * @param request the request
	 * @throws IOException if the answer cannot be written
	 */
	@Operation(name = POLL, idempotent = true, manualResponse = true, deleteEnabled = true)
	public void poll(
			@OperationParam(name = "_jobId", typeName = "string", min = 0, max = 1) IPrimitiveType<String> jobId,
			ServletRequestDetails request) throws IOException {
		if (jobId == null || jobId.getValue() == null || jobId.getValue().isBlank()) {
			throw ImportError.NO_JOB_ID.exception("_jobId is missing.");
		}
		CrosswalkPrincipal principal = Principals.of(request);
		ImportJobs.Job job = job(jobId.getValue())
			.filter((found) -> principal != null && principal.hasHospital() && found.owner().equals(ownerOf(principal)))
			.orElseThrow(() -> ImportError.NOT_YOUR_IMPORT.exception("No import " + jobId.getValue() + " of yours."));
		HttpServletResponse response = request.getServletResponse();
		request.getServer().addHeadersToResponse(response);
		if (request.getRequestType() == RequestTypeEnum.DELETE) {
			if (!this.jobs.cancel(job.id())) {
				throw ImportError.NOT_YOUR_IMPORT.exception(
						"Import " + job.id() + " has ended; there is nothing to " + "cancel. What it wrote stays.");
			}
			write(response, 202, new OperationOutcome().addIssue(info("Import " + job.id()
					+ " is cancelled; what it wrote before stays, and a new import of the same files goes on from "
					+ "there.")));
			return;
		}
		switch (job.status()) {
			case QUEUED, RUNNING -> {
				response.addHeader(Constants.HEADER_X_PROGRESS, (job.status() == ImportJobs.Status.QUEUED) ? "queued"
						: (job.progress() != null) ? "running: " + job.progress() : "running");
				response.addHeader(Constants.HEADER_RETRY_AFTER, "5");
				write(response, 202, new OperationOutcome().addIssue(info("Import " + job.id() + " is "
						+ job.status().sql() + ((job.progress() != null) ? ": " + job.progress() : "") + ".")));
			}
			case CANCELLED -> throw ImportError.NOT_YOUR_IMPORT
				.exception("Import " + job.id() + " was cancelled by its requester; what it wrote before stays.");
			case FAILED -> write(response, 500, report(job));
			case COMPLETED -> write(response, 200, report(job));
		}
	}

	/**
	 * An ended job's report: a summary, the counts of each type, and every record not
	 * imported with its reason and place.
	 */
	OperationOutcome report(ImportJobs.Job job) {
		OperationOutcome outcome = new OperationOutcome();
		if (job.report() == null) {
			outcome.addIssue()
				.setSeverity(IssueSeverity.ERROR)
				.setCode(IssueType.EXCEPTION)
				.setDiagnostics("Import " + job.id() + " failed: " + job.error());
			return outcome;
		}
		JsonNode report;
		try {
			report = JSON.readTree(job.report());
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("The report of import " + job.id() + " is not JSON", ex);
		}
		int read = 0;
		int written = 0;
		int refused = 0;
		StringBuilder counts = new StringBuilder();
		for (Map.Entry<String, JsonNode> type : report.get("types").properties()) {
			JsonNode c = type.getValue();
			read += c.get("read").asInt();
			written += c.get("created").asInt() + c.get("updated").asInt();
			refused += c.get("refused").asInt() + c.get("skipped").asInt();
			outcome.addIssue(info(type.getKey() + ": " + c.get("read").asInt() + " read, " + c.get("created").asInt()
					+ " created, " + c.get("updated").asInt() + " updated, " + c.get("refused").asInt() + " refused"));
		}
		counts.append("Import ")
			.append(job.id())
			.append(" from source '")
			.append(job.source())
			.append("': ")
			.append(read)
			.append(" records read, ")
			.append(written)
			.append(" written, ")
			.append(refused)
			.append(" not imported")
			.append((report.get("notImported").size() < refused)
					? " (the first " + report.get("notImported").size() + " listed below)" : "")
			.append('.');
		if (job.status() == ImportJobs.Status.FAILED) {
			counts.append(" It stopped: ").append(job.error()).append(". Run it again to go on from there.");
		}
		outcome.getIssue().add(0, info(counts.toString()));
		for (JsonNode refusal : report.get("notImported")) {
			OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
				.setSeverity(IssueSeverity.ERROR)
				.setCode(IssueType.PROCESSING)
				.setDiagnostics((refusal.hasNonNull("legacyId") ? text(refusal, "legacyId")
						: refusal.hasNonNull("type") ? "A " + text(refusal, "type") : "A record") + " at "
						+ text(refusal, "where") + " not imported: " + text(refusal, "reason"));
			issue.addLocation(text(refusal, "where"));
		}
		return outcome;
	}

	private static String text(JsonNode node, String field) {
		return node.hasNonNull(field) ? node.get(field).asText() : "(none)";
	}

	static String ownerOf(CrosswalkPrincipal principal) {
		return principal.requester();
	}

	private java.util.Optional<ImportJobs.Job> job(String id) {
		try {
			return this.jobs.find(UUID.fromString(id));
		}
		catch (IllegalArgumentException ex) {
			return java.util.Optional.empty();
		}
	}

	private static String base(ServletRequestDetails request) {
		String base = request.getServerBaseForRequest();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	private static OperationOutcome.OperationOutcomeIssueComponent info(String text) {
		return new OperationOutcome.OperationOutcomeIssueComponent().setSeverity(IssueSeverity.INFORMATION)
			.setCode(IssueType.INFORMATIONAL)
			.setDiagnostics(text);
	}

	private void write(HttpServletResponse response, int status, OperationOutcome outcome) throws IOException {
		response.setStatus(status);
		response.setContentType(Constants.CT_FHIR_JSON_NEW + Constants.CHARSET_UTF8_CTSUFFIX);
		this.fhir.newJsonParser().encodeResourceToWriter(outcome, response.getWriter());
		response.getWriter().close();
	}

}
