package health.crosswalk.server;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The one exception Crosswalk refuses a request with: a {@link CrosswalkError} (stable
 * code, status, hint) and what happened. HAPI answers it at {@code /fhir} as it answers
 * its own (it is one of HAPI's server response exceptions, so batch entries, transaction
 * rollback and {@link ErrorOutcomes} treat it alike); {@link AdminErrors} answers it for
 * the admin API. Both write the same OperationOutcome.
 */
public class CrosswalkException extends BaseServerResponseException {

	private static final long serialVersionUID = 1L;

	private final transient CrosswalkError error;

	/**
	 * @param error what kind of error
	 * @param diagnostics what happened
	 */
	public CrosswalkException(CrosswalkError error, String diagnostics) {
		this(error, diagnostics, error.outcome(diagnostics));
	}

	/**
	 * @param error what kind of error
	 * @param diagnostics what happened
	 * @param outcome the outcome to answer with, when it has more than one issue (each
	 * coded with the error's code)
	 */
	public CrosswalkException(CrosswalkError error, String diagnostics, OperationOutcome outcome) {
		super(error.status(), diagnostics);
		this.error = error;
		setOperationOutcome(outcome);
	}

	/**
	 * The kind of error.
	 * @return the error
	 */
	public CrosswalkError error() {
		return this.error;
	}

}
