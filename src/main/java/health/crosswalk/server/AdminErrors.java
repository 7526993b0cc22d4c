package health.crosswalk.server;

import org.hl7.fhir.r4.model.OperationOutcome;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a {@link CrosswalkException} from the admin API ({@code /admin}, Spring MVC)
 * with the OperationOutcome HAPI answers it with at {@code /fhir}: the error's status,
 * its code and hint.
 */
@RestControllerAdvice
public class AdminErrors {

	@ExceptionHandler
	ResponseEntity<String> refused(CrosswalkException refusal) {
		return response(refusal);
	}

	/**
	 * The response for a refusal, for handlers of Spring's own exceptions that name the
	 * error themselves.
	 * @param refusal the refusal
	 * @return its status and OperationOutcome
	 */
	public static ResponseEntity<String> response(CrosswalkException refusal) {
		return ResponseEntity.status(refusal.getStatusCode())
			.contentType(MediaType.parseMediaType("application/fhir+json"))
			.body(Outcomes.toJson((OperationOutcome) refusal.getOperationOutcome()));
	}

}
