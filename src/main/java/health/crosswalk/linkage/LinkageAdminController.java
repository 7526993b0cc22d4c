package health.crosswalk.linkage;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.server.AdminErrors;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Data stewards' decisions on patient links ({@code /admin/linkage}, steward or admin
 * role): review possible matches, link, unlink and merge. Every decision is manual (the
 * matcher never overrides it), needs a reason, is recorded in the link history, and can
 * be undone by another decision.
 */
@RestController
@ConditionalOnProperty(prefix = "crosswalk.linkage", name = "enabled", matchIfMissing = true)
@RequestMapping(path = "/admin/linkage", produces = MediaType.APPLICATION_JSON_VALUE)
class LinkageAdminController {

	private final LinkageService linkage;

	private final HospitalDirectory hospitals;

	private final TransactionTemplate transactions;

	LinkageAdminController(LinkageService linkage, HospitalDirectory hospitals,
			PlatformTransactionManager transactions) {
		this.linkage = linkage;
		this.hospitals = hospitals;
		this.transactions = new TransactionTemplate(transactions);
	}

	@GetMapping("/reviews")
	List<Map<String, Object>> reviews(@RequestParam(defaultValue = "open") String status) {
		return this.linkage.store().reviews(status);
	}

	@PostMapping("/reviews/{id}/link")
	Map<String, Object> acceptReview(@PathVariable long id, @RequestBody Decision decision,
			@AuthenticationPrincipal CrosswalkPrincipal steward) {
		inTransaction(() -> {
			this.linkage.resolveReview(id, true, actor(steward), decision.requireReason());
			return null;
		});
		return Map.of("review", id, "status", "linked");
	}

	@PostMapping("/reviews/{id}/reject")
	Map<String, Object> rejectReview(@PathVariable long id, @RequestBody Decision decision,
			@AuthenticationPrincipal CrosswalkPrincipal steward) {
		inTransaction(() -> {
			this.linkage.resolveReview(id, false, actor(steward), decision.requireReason());
			return null;
		});
		return Map.of("review", id, "status", "rejected");
	}

	@PostMapping("/records/{hospital}/{patientId}/unlink")
	Map<String, Object> unlink(@PathVariable String hospital, @PathVariable String patientId,
			@RequestBody Decision decision, @AuthenticationPrincipal CrosswalkPrincipal steward) {
		RecordRef record = record(hospital, patientId);
		UUID upi = inTransaction(() -> this.linkage.unlink(record, actor(steward), decision.requireReason()));
		return Map.of("hospital", hospital, "patientId", patientId, "upi", upi);
	}

	@PostMapping("/records/{hospital}/{patientId}/link")
	Map<String, Object> link(@PathVariable String hospital, @PathVariable String patientId,
			@RequestBody Decision decision, @AuthenticationPrincipal CrosswalkPrincipal steward) {
		RecordRef record = record(hospital, patientId);
		UUID upi = decision.requireUpi();
		UUID previous = inTransaction(() -> this.linkage.link(record, upi, actor(steward), decision.requireReason()));
		return Map.of("hospital", hospital, "patientId", patientId, "upi", upi, "previousUpi", previous);
	}

	@GetMapping("/records/{hospital}/{patientId}/history")
	List<Map<String, Object>> history(@PathVariable String hospital, @PathVariable String patientId) {
		return this.linkage.store().historyOf(record(hospital, patientId));
	}

	@PostMapping("/merge")
	Map<String, Object> merge(@RequestBody Decision decision, @AuthenticationPrincipal CrosswalkPrincipal steward) {
		if (decision.source() == null || decision.target() == null) {
			throw LinkageError.INVALID.exception("A merge needs a source and a target UPI.");
		}
		int moved = inTransaction(() -> this.linkage.merge(decision.source(), decision.target(), actor(steward),
				decision.requireReason()));
		return Map.of("source", decision.source(), "replacedBy", decision.target(), "recordsMoved", moved);
	}

	@GetMapping("/upis/{upi}")
	Map<String, Object> upi(@PathVariable UUID upi) {
		return Map.of("upi", upi, "records", this.linkage.store().recordsOf(upi));
	}

	private RecordRef record(String hospital, String patientId) {
		int partitionId = this.hospitals.findBySlug(hospital)
			.orElseThrow(() -> LinkageError.NOT_FOUND.exception("No hospital '" + hospital + "'."))
			.partitionId();
		return new RecordRef(partitionId, patientId);
	}

	private <T> T inTransaction(Supplier<T> work) {
		return this.transactions.execute((status) -> work.get());
	}

	private static String actor(CrosswalkPrincipal steward) {
		return steward.role().code() + ":" + steward.subject();
	}

	@ExceptionHandler
	ResponseEntity<String> unreadable(HttpMessageNotReadableException ex) {
		return AdminErrors.response(LinkageError.INVALID.exception(
				"The request body is not valid JSON for this request: " + ex.getMostSpecificCause().getMessage()));
	}

	/**
	 * A steward's decision.
	 *
	 * @param reason why, recorded in the link history
	 * @param upi the UPI to link a record to
	 * @param source the UPI merged away
	 * @param target the UPI merged into
	 */
	record Decision(String reason, UUID upi, UUID source, UUID target) {

		String requireReason() {
			if (this.reason == null || this.reason.isBlank()) {
				throw LinkageError.INVALID.exception("Every decision needs a reason.");
			}
			return this.reason.trim();
		}

		UUID requireUpi() {
			if (this.upi == null) {
				throw LinkageError.INVALID.exception("Give the UPI to link the record to.");
			}
			return this.upi;
		}

	}

}
