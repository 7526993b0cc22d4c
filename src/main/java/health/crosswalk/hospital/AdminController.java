package health.crosswalk.hospital;

import java.util.List;

import health.crosswalk.security.Role;
import health.crosswalk.server.AdminErrors;
import health.crosswalk.server.Outcomes;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The administrators' API ({@code /admin}, admin role): registers hospitals, suspends and
 * reactivates them, and issues and revokes API keys. Errors answer with an
 * OperationOutcome like the FHIR API.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminController {

	private final HospitalRegistry registry;

	AdminController(HospitalRegistry registry) {
		this.registry = registry;
	}

	@PostMapping("/hospitals")
	@ResponseStatus(HttpStatus.CREATED)
	Hospital register(@RequestBody NewHospital request) {
		return this.registry.register(request.slug(), request.name(), request.identifierSystems());
	}

	@GetMapping("/hospitals")
	List<Hospital> hospitals() {
		return this.registry.list();
	}

	@GetMapping("/hospitals/{slug}")
	Hospital hospital(@PathVariable String slug) {
		return this.registry.require(slug);
	}

	@PostMapping("/hospitals/{slug}/suspend")
	Hospital suspend(@PathVariable String slug) {
		return this.registry.setStatus(slug, Hospital.SUSPENDED);
	}

	@PostMapping("/hospitals/{slug}/activate")
	Hospital activate(@PathVariable String slug) {
		return this.registry.setStatus(slug, Hospital.ACTIVE);
	}

	@PostMapping("/hospitals/{slug}/keys")
	@ResponseStatus(HttpStatus.CREATED)
	IssuedKey issueHospitalKey(@PathVariable String slug, @RequestBody(required = false) NewKey request) {
		NewKey key = (request != null) ? request : new NewKey(null, null);
		return this.registry.issueKey(slug, role(key.role(), Role.HOSPITAL_SYSTEM), key.label());
	}

	@GetMapping("/hospitals/{slug}/keys")
	List<ApiKeyInfo> hospitalKeys(@PathVariable String slug) {
		return this.registry.keys(slug);
	}

	@PostMapping("/keys")
	@ResponseStatus(HttpStatus.CREATED)
	IssuedKey issueNetworkKey(@RequestBody NewKey request) {
		return this.registry.issueKey(null, role(request.role(), null), request.label());
	}

	@GetMapping("/keys")
	List<ApiKeyInfo> networkKeys() {
		return this.registry.keys(null);
	}

	@DeleteMapping("/keys/{keyId}")
	ApiKeyInfo revoke(@PathVariable String keyId) {
		return this.registry.revokeKey(keyId);
	}

	private static Role role(String code, Role fallback) {
		if (code == null && fallback != null) {
			return fallback;
		}
		return Role.fromCode(code)
			.orElseThrow(() -> HospitalError.INVALID_ROLE.exception("Unknown role '" + code + "'."));
	}

	@ExceptionHandler
	ResponseEntity<String> unreadable(HttpMessageNotReadableException ex) {
		return AdminErrors.response(HospitalError.INVALID.exception(
				"The request body is not valid JSON for this request: " + ex.getMostSpecificCause().getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<String> storage(DataAccessException ex) {
		String message = Outcomes.invalidValue(ex).orElseThrow(() -> ex);
		return AdminErrors.response(HospitalError.INVALID.exception(message));
	}

	/**
	 * A hospital to register.
	 *
	 * @param slug stable name
	 * @param name display name
	 * @param identifierSystems identifier systems (MRN namespaces) it owns
	 */
	record NewHospital(String slug, String name, List<String> identifierSystems) {
	}

	/**
	 * A key to issue.
	 *
	 * @param role role code; hospital keys default to hospital-system
	 * @param label what the key is for
	 */
	record NewKey(String role, String label) {
	}

}
