package health.crosswalk.server;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every error response an OperationOutcome with a stable {@link ErrorCode} and a
 * hint on what to fix. Bad input never surfaces as a 500; a real server failure is logged
 * in full and answered without internals.
 */
final class ErrorOutcomes {

	private static final Logger log = LoggerFactory.getLogger(ErrorOutcomes.class);

	/**
	 * HAPI's refusal of {@code :text} on tokens when their display text is not indexed.
	 */
	private static final String TEXT_MODIFIER_DISABLED = Msg.code(1219);

	@Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = Pipeline.DESCRIBE)
	BaseServerResponseException preProcessOutgoingException(RequestDetails request, Throwable failure) {
		boolean ifMatch = request != null && request.getHeader(Constants.HEADER_IF_MATCH) != null;
		return toResponse(failure, (request != null) ? request.getRequestId() : null, ifMatch);
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = Pipeline.DESCRIBE)
	boolean outgoingResponse(RequestDetails request, ResponseDetails response) {
		if (response.getResponseResource() instanceof Bundle bundle
				&& bundle.getType() == Bundle.BundleType.BATCHRESPONSE) {
			entryOutcomes(bundle, (request != null) ? request.getRequestId() : null);
		}
		return true;
	}

	/**
	 * Gives the failed entries of a batch the outcomes a request gets: a code for each
	 * refusal, and for a server failure only the request id, its message (HAPI's names
	 * tables and SQL) going to the log.
	 * @param bundle the batch's response
	 * @param requestId the request's id
	 */
	static void entryOutcomes(Bundle bundle, String requestId) {
		for (int i = 0; i < bundle.getEntry().size(); i++) {
			Bundle.BundleEntryResponseComponent response = bundle.getEntry().get(i).getResponse();
			int status = statusOf(response.getStatus());
			if (status < 400 || !(response.getOutcome() instanceof OperationOutcome outcome)) {
				continue;
			}
			if (status >= 500 && crosswalkCode(outcome).isEmpty()) {
				log.error("Request {} failed at batch entry {}: {}", requestId, i,
						outcome.getIssueFirstRep().getDiagnostics());
				response.setOutcome(ErrorCode.INTERNAL_ERROR.outcome("The server could not complete entry " + i
						+ " of the batch" + ((requestId != null) ? " (request id " + requestId + ")" : "")));
				continue;
			}
			for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
				if (issue.getSeverity() == IssueSeverity.ERROR || issue.getSeverity() == IssueSeverity.FATAL) {
					addCode(issue, ErrorCode.forStatus(status));
				}
			}
		}
	}

	private static int statusOf(String status) {
		if (status == null || status.length() < 3) {
			return 0;
		}
		try {
			return Integer.parseInt(status.substring(0, 3));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * The response for a failure.
	 * @param failure what went wrong
	 * @param requestId the request's id, for the log and the client
	 * @param ifMatch whether the client made the write conditional on a version; a
	 * version conflict then means its precondition failed (412), not a plain conflict
	 * (409)
	 * @return the exception HAPI turns into the response
	 */
	static BaseServerResponseException toResponse(Throwable failure, String requestId, boolean ifMatch) {
		BaseServerResponseException response = asServerResponse(failure, requestId);
		if (ifMatch && response instanceof ResourceVersionConflictException) {
			response = new PreconditionFailedException(
					"If-Match did not match the current version: " + response.getMessage());
		}
		ErrorCode code = ErrorCode.forStatus(response.getStatusCode());
		IBaseOperationOutcome existing = response.getOperationOutcome();
		if (existing instanceof OperationOutcome outcome && outcome.hasIssue()) {
			for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
				if (issue.getSeverity() == IssueSeverity.ERROR || issue.getSeverity() == IssueSeverity.FATAL) {
					addCode(issue, code);
				}
			}
		}
		else {
			OperationOutcome outcome = new OperationOutcome();
			OperationOutcomeIssueComponent issue = outcome.addIssue()
				.setSeverity(IssueSeverity.ERROR)
				.setCode(code.definition().type())
				.setDiagnostics(response.getMessage());
			addCode(issue, code);
			List<String> additionalMessages = response.getAdditionalMessages();
			for (String additional : (additionalMessages != null) ? additionalMessages : List.<String>of()) {
				outcome.addIssue()
					.setSeverity(IssueSeverity.ERROR)
					.setCode(code.definition().type())
					.setDiagnostics(additional);
			}
			response.setOperationOutcome(outcome);
		}
		if (response.getStatusCode() < 500) {
			// Once, without a stack trace or the message (which may echo patient data).
			log.info("Request {} refused: {} {}", requestId, response.getStatusCode(),
					crosswalkCode(response).orElse(code.code()));
		}
		return response;
	}

	private static Optional<String> crosswalkCode(BaseServerResponseException response) {
		return (response.getOperationOutcome() instanceof OperationOutcome outcome) ? crosswalkCode(outcome)
				: Optional.empty();
	}

	private static Optional<String> crosswalkCode(OperationOutcome outcome) {
		return outcome.getIssue()
			.stream()
			.flatMap((issue) -> issue.getDetails().getCoding().stream())
			.filter((coding) -> Outcomes.SYSTEM.equals(coding.getSystem()))
			.map((coding) -> coding.getCode())
			.findFirst();
	}

	private static BaseServerResponseException asServerResponse(Throwable failure, String requestId) {
		Optional<String> invalidValue = Outcomes.invalidValue(failure);
		if (invalidValue.isPresent()) {
			return new InvalidRequestException(invalidValue.get());
		}
		// A refusal, or an outcome already written for the client, stays as it is.
		boolean answered = failure instanceof BaseServerResponseException response
				&& (response.getStatusCode() < 500 || isCrosswalkOutcome(response));
		Optional<ErrorCode> deadline = answered ? Optional.empty() : endedByDatabase(failure);
		if (deadline.isPresent()) {
			// With the trace: a slow query or a lost
			// connection is the operators' to find.
			log.warn("Request {} ended by the database: {}", requestId, deadline.get().code(), failure);
			return deadline.get().exception(switch (deadline.get()) {
				case STATEMENT_TIMEOUT -> "A database statement of this request ran longer than the server allows; "
						+ "the request was cancelled and rolled back, nothing of it was stored.";
				case CONFLICTED -> "The database cancelled this request: it collided with concurrent work, or a read "
						+ "replica was applying the primary's changes to the rows it read. It was rolled back, nothing "
						+ "of it was stored.";
				default -> "The database ended this request's session (its transaction waited longer than the "
						+ "server allows between two statements, or the connection was lost). It was rolled back "
						+ "unless the session ended while committing: read before you retry a create.";
			});
		}
		if (failure instanceof MethodNotAllowedException && failure.getMessage() != null
				&& failure.getMessage().startsWith(TEXT_MODIFIER_DISABLED)) {
			// A search modifier the server does not index for is a bad request, not a
			// method the resource lacks.
			return new InvalidRequestException("The :text modifier is not supported: the display text of codes is "
					+ "not indexed. Search by code (system|code) instead.");
		}
		if (failure instanceof BaseServerResponseException serverResponse) {
			if (serverResponse.getStatusCode() == 500 && !isCrosswalkOutcome(serverResponse)) {
				// HAPI's own 500 messages name tables, ids and exception classes: they go
				// to the log only.
				log.error("Request {} failed", requestId, failure);
				return internalError(requestId, failure);
			}
			if (serverResponse.getStatusCode() > 500 && !isCrosswalkOutcome(serverResponse)) {
				// Not implemented, unavailable: no fault of this server's code; the
				// status stays, the message goes to the log.
				log.warn("Request {} answered {}: {}", requestId, serverResponse.getStatusCode(),
						serverResponse.getMessage());
				return BaseServerResponseException.newInstance(serverResponse.getStatusCode(),
						"The server cannot complete the request"
								+ ((requestId != null) ? " (request id " + requestId + ")" : ""));
			}
			return serverResponse;
		}
		if (failure instanceof DataFormatException) {
			return new InvalidRequestException(failure.getMessage(), failure);
		}
		log.error("Request {} failed", requestId, failure);
		return internalError(requestId, failure);
	}

	/**
	 * Whether PostgreSQL ended the request's work at one of the application's deadlines:
	 * {@code statement_timeout} cancels the statement (SQLSTATE 57014),
	 * {@code idle_in_transaction_session_timeout} ends the session (25P03); or cancelled
	 * it for a deadlock (40P01), a serialization failure or a standby's conflict with
	 * recovery (40001). HAPI sometimes keeps only the message of a search's failure, so
	 * the messages count too.
	 * @param failure what went wrong
	 * @return the matching code, if any
	 */
	static Optional<ErrorCode> endedByDatabase(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			String state = (cause instanceof SQLException sql) ? sql.getSQLState() : null;
			String message = (cause.getMessage() != null) ? cause.getMessage() : "";
			if ("57014".equals(state) || message.contains("canceling statement due to statement timeout")) {
				return Optional.of(ErrorCode.STATEMENT_TIMEOUT);
			}
			// By message only where HAPI keeps nothing else of a search's failure.
			boolean database = cause instanceof SQLException || message.startsWith("Search failed");
			if ("40001".equals(state) || "40P01".equals(state) || (database
					&& (message.contains("conflict with recovery") || message.contains("deadlock detected")))) {
				return Optional.of(ErrorCode.CONFLICTED);
			}
			if ("25P03".equals(state) || "57P01".equals(state) || (state != null && state.startsWith("08"))
					|| message.contains("idle-in-transaction timeout")
					|| (cause instanceof SQLException && (message.equals("Connection is closed")
							|| message.contains("connection has been closed")))) {
				return Optional.of(ErrorCode.SESSION_ENDED);
			}
		}
		return Optional.empty();
	}

	private static InternalErrorException internalError(String requestId, Throwable failure) {
		return new InternalErrorException("The server could not complete the request"
				+ ((requestId != null) ? " (request id " + requestId + ")" : ""), failure);
	}

	/**
	 * Whether a failure already carries one of Crosswalk's own outcomes (such as the
	 * audit trail's 503), written for clients.
	 */
	private static boolean isCrosswalkOutcome(BaseServerResponseException response) {
		return crosswalkCode(response).isPresent();
	}

	private static void addCode(OperationOutcomeIssueComponent issue, ErrorCode code) {
		CodeableConcept details = issue.getDetails();
		boolean coded = details.getCoding().stream().anyMatch((coding) -> Outcomes.SYSTEM.equals(coding.getSystem()));
		if (!coded) {
			details.addCoding().setSystem(Outcomes.SYSTEM).setCode(code.code());
			if (!details.hasText()) {
				details.setText(code.definition().hint());
			}
		}
	}

}
