package health.crosswalk.server;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A kind of error Crosswalk answers with: a stable code, an HTTP status, a FHIR issue
 * type and a hint on what to do. Each capability lists its own in an enum that implements
 * this; every code is such an enum member ({@code ErrorCodesTest}).
 */
public interface CrosswalkError {

	/**
	 * What defines the error.
	 * @return its definition
	 */
	Definition definition();

	/**
	 * The stable code, such as {@code CW-AUTH-001}.
	 * @return the code
	 */
	default String code() {
		return definition().code();
	}

	/**
	 * The HTTP status.
	 * @return the status
	 */
	default int status() {
		return definition().status();
	}

	/**
	 * The OperationOutcome telling the client what happened and what to do.
	 * @param diagnostics what happened
	 * @return the outcome
	 */
	default OperationOutcome outcome(String diagnostics) {
		Definition definition = definition();
		return Outcomes.error(definition.code(), definition.type(), diagnostics, definition.hint());
	}

	/**
	 * The exception to refuse a request with, at {@code /fhir} or {@code /admin}.
	 * @param diagnostics what happened
	 * @return the exception to throw
	 */
	default CrosswalkException exception(String diagnostics) {
		return new CrosswalkException(this, diagnostics);
	}

	/**
	 * The parts of an error kind.
	 *
	 * @param code stable code
	 * @param status HTTP status
	 * @param type FHIR issue type
	 * @param hint what the client should do
	 */
	record Definition(String code, int status, IssueType type, String hint) {
	}

}
