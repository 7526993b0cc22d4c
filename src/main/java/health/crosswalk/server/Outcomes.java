package health.crosswalk.server;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds the OperationOutcome every Crosswalk error carries: one error issue with a
 * stable code in {@code details.coding} (system {@value #SYSTEM}), what to do about it in
 * {@code details.text}, and what happened in {@code diagnostics}.
 */
public final class Outcomes {

	/** The code system of Crosswalk's error codes. */
	public static final String SYSTEM = "urn:crosswalk:error";

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

	private Outcomes() {
	}

	/**
	 * An outcome with one error issue.
	 * @param code the stable code, such as {@code CW-AUTH-001}
	 * @param type the FHIR issue type
	 * @param diagnostics what happened
	 * @param hint what the client should do
	 * @return the outcome
	 */
	public static OperationOutcome error(String code, IssueType type, String diagnostics, String hint) {
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
			.setSeverity(IssueSeverity.ERROR)
			.setCode(type)
			.setDiagnostics(diagnostics)
			.getDetails()
			.setText(hint)
			.addCoding()
			.setSystem(SYSTEM)
			.setCode(code);
		return outcome;
	}

	/**
	 * A client's text fit to quote in an outcome's diagnostics: control characters
	 * replaced by {@code ?}, cut to 64 characters.
	 * @param text what the client sent
	 * @return the text to quote
	 */
	public static String quote(String text) {
		String printable = text.replaceAll("\\p{Cntrl}", "?");
		return (printable.length() > 64) ? printable.substring(0, 64) + "..." : printable;
	}

	/**
	 * Whether a request is for the FHIR API ({@code /fhir} and below), not the admin API
	 * or the actuator.
	 * @param request the request
	 * @return true for {@code /fhir} and {@code /fhir/...}
	 */
	public static boolean isFhir(HttpServletRequest request) {
		String path = request.getRequestURI();
		return path != null && (path.equals("/fhir") || path.startsWith("/fhir/"));
	}

	/**
	 * Writes an outcome as the JSON body of a response outside HAPI (filters, the admin
	 * API).
	 * @param response the response
	 * @param status the HTTP status
	 * @param outcome the outcome
	 * @throws IOException if the response cannot be written
	 */
	public static void write(HttpServletResponse response, int status, OperationOutcome outcome) throws IOException {
		if (status < 500) {
			// Once, as HAPI's refusals are (ErrorOutcomes): the request id comes from the
			// log pattern; the message may echo patient data and is left out.
			log.info("Request {} refused: {} {}", MDC.get(RequestIdFilter.MDC_KEY), status, code(outcome));
		}
		response.setStatus(status);
		response.setContentType("application/fhir+json;charset=UTF-8");
		response.getWriter().write(toJson(outcome));
	}

	private static String code(OperationOutcome outcome) {
		return outcome.getIssue()
			.stream()
			.flatMap((issue) -> issue.getDetails().getCoding().stream())
			.filter((coding) -> SYSTEM.equals(coding.getSystem()))
			.map((coding) -> coding.getCode())
			.findFirst()
			.orElse("");
	}

	/**
	 * Recognises a failure caused by a value the database cannot store (SQLSTATE class
	 * 22, such as a NUL character in a string): the client's fault, answered 400.
	 * @param failure a failure
	 * @return what to tell the client, if the failure is of that kind
	 */
	public static Optional<String> invalidValue(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
				String message = (sql.getMessage() != null) ? sql.getMessage().lines().findFirst().orElse("") : "";
				return Optional.of("The request holds a value the database cannot store (" + message
						+ "); remove control characters such as NUL and check the sizes of values.");
			}
		}
		return Optional.empty();
	}

	/**
	 * The outcome as FHIR JSON.
	 * @param outcome the outcome
	 * @return its JSON
	 */
	public static String toJson(OperationOutcome outcome) {
		return FHIR.newJsonParser().encodeResourceToString(outcome);
	}

}
