package health.crosswalk.linkage;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import health.crosswalk.linkage.LinkStore.Candidate;
import health.crosswalk.linkage.LinkStore.Link;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.linkage.Matcher.Comparison;
import health.crosswalk.linkage.Matcher.Decision;
import org.hl7.fhir.r4.model.Patient;

/**
 * Decides which UPI a Patient record belongs to, inside the transaction that writes the
 * record: a shared trusted identifier links deterministically; otherwise the best
 * candidate found through the blocking keys is linked above the auto-link threshold,
 * queued for review above the review threshold, and ignored below. A steward's manual
 * decision is never overridden, and two UPIs are never merged automatically: a record
 * moves alone, with its reason recorded.
 */
final class LinkageService implements LinkageHooks.Links {

	private static final int MAX_CANDIDATES = 500;

	private static final int MAX_REVIEWS_PER_WRITE = 10;

	private final LinkStore store;

	private final Matcher matcher;

	private final Set<String> trustedSystems;

	private final Decisions decisions;

	/** Told of each decision by its kind, for metrics. */
	interface Decisions {

		/**
		 * @param kind {@code manual} (a steward's decision stands),
		 * {@code deterministic}, {@code probabilistic}, {@code new} (a UPI of its own),
		 * {@code kept} (stays on its UPI) or {@code review} (a possible match queued)
		 */
		void decided(String kind);

	}

	LinkageService(LinkStore store, Matcher matcher, Set<String> trustedSystems, Decisions decisions) {
		this.store = store;
		this.matcher = matcher;
		this.trustedSystems = trustedSystems;
		this.decisions = decisions;
	}

	/**
	 * Links a written record. Must run inside the write's transaction.
	 * @param record the record
	 * @param hospitalSlug its hospital
	 * @param patient its content as written
	 * @param actor who wrote it
	 * @return the record's UPI
	 */
	@Override
	public UUID assign(RecordRef record, String hospitalSlug, Patient patient, String actor) {
		Demographics demographics = Demographics.of(patient, this.trustedSystems);
		List<String> keys = Matcher.sortedKeys(Matcher.blockingKeys(demographics));
		this.store.lockKeys(Matcher.sortedKeys(withRecordLock(keys, record)));
		Optional<Link> existing = this.store.link(record);
		String version = this.matcher.rules().version();

		if (existing.isPresent() && "manual".equals(existing.get().method())) {
			UUID upi = existing.get().upi();
			this.store.save(record, hospitalSlug, upi, "manual", version, null, demographics, keys);
			this.store.history(actor, "kept", record, upi, upi, version, null, null,
					"Demographics changed; a steward's manual decision stands.");
			this.decisions.decided("manual");
			return upi;
		}

		List<Best> scored = score(demographics, this.store.candidates(keys, record, MAX_CANDIDATES));
		Best best = scored.isEmpty() ? null : scored.get(0);
		UUID previous = existing.map(Link::upi).orElse(null);
		if (best != null && best.decision == Decision.LINK) {
			String method = best.comparison.deterministic() ? "deterministic" : "probabilistic";
			UUID upi = best.candidate.upi();
			this.store.save(record, hospitalSlug, upi, method, version, best.comparison.score(), demographics, keys);
			if (!upi.equals(previous)) {
				this.store
					.history(actor, (previous == null) ? "linked" : "relinked", record, upi, previous, version,
							best.comparison.score(), best.comparison.evidence(),
							(best.comparison.deterministic() ? "Shares a trusted identifier with "
									: "Scored above the auto-link threshold against ")
									+ describe(best.candidate.record()));
			}
			this.decisions.decided(method);
			return upi;
		}

		UUID upi = (previous != null && stillBelongs(demographics, previous, record)) ? previous : null;
		boolean fresh = upi == null;
		if (fresh) {
			upi = this.store.newUpi();
		}
		this.decisions.decided(fresh ? "new" : "kept");
		Double score = (best != null) ? best.comparison.score() : null;
		this.store.save(record, hospitalSlug, upi, "new", version, score, demographics, keys);
		if (fresh) {
			this.store.history(actor, (previous == null) ? "assigned" : "split", record, upi, previous, version, score,
					(best != null) ? best.comparison.evidence() : null,
					(previous == null) ? "No candidate scored above the auto-link threshold."
							: "Demographics no longer match the other records of the previous UPI.");
		}
		// Every possible match goes to review, not just
		// the best: a steward sees them all.
		int queued = 0;
		for (Best possible : scored) {
			if (possible.decision == Decision.REVIEW && !possible.candidate.upi().equals(upi)
					&& queued++ < MAX_REVIEWS_PER_WRITE) {
				this.store.queueReview(record, possible.candidate, possible.comparison.score(),
						possible.comparison.evidence(), version);
				this.store.history(actor, "review-queued", record, upi, null, version, possible.comparison.score(),
						possible.comparison.evidence(), "Possible match with " + describe(possible.candidate.record())
								+ " scored between the review and auto-link thresholds.");
				this.decisions.decided("review");
			}
		}
		return upi;
	}

	/**
	 * A steward's decision: the record belongs to this UPI, whatever the matcher says
	 * later.
	 * @return the record's previous UPI
	 */
	UUID link(RecordRef record, UUID upi, String actor, String reason) {
		lockRecord(record);
		if (!this.store.upiExists(upi)) {
			throw LinkageError.NOT_FOUND.exception("No UPI " + upi + ".");
		}
		UUID previous = requireLink(record).upi();
		this.store.moveRecord(record, upi, "manual");
		this.store.history(actor, "manually-linked", record, upi, previous, null, null, null, reason);
		return previous;
	}

	/**
	 * A steward's decision: the record is a person of its own, on a new UPI.
	 * @return the new UPI
	 */
	UUID unlink(RecordRef record, String actor, String reason) {
		lockRecord(record);
		UUID previous = requireLink(record).upi();
		UUID upi = this.store.newUpi();
		this.store.moveRecord(record, upi, "manual");
		this.store.history(actor, "unlinked", record, upi, previous, null, null, null, reason);
		return upi;
	}

	/**
	 * A steward's decision: two UPIs are one person. Every record of the source moves to
	 * the target, and the source is marked as replaced by it.
	 * @return the records moved
	 */
	int merge(UUID source, UUID target, String actor, String reason) {
		if (source.equals(target) || !this.store.upiExists(source) || !this.store.upiExists(target)) {
			throw LinkageError.INVALID
				.exception("Merge needs two different existing UPIs, but got " + source + " and " + target + ".");
		}
		List<RecordRef> records = this.store.records(source);
		records.forEach(this::lockRecord);
		for (RecordRef record : records) {
			this.store.moveRecord(record, target, "manual");
			this.store.history(actor, "merged", record, target, source, null, null, null, reason);
		}
		this.store.replaceUpi(source, target);
		return records.size();
	}

	/**
	 * A steward resolves a possible match: link the record to the candidate's UPI, or
	 * reject the match (the record keeps its own UPI, and the same pair is not queued
	 * again unless its score changes).
	 */
	void resolveReview(long reviewId, boolean link, String actor, String reason) {
		LinkStore.Review review = this.store.review(reviewId)
			.orElseThrow(() -> LinkageError.NOT_FOUND.exception("No review item " + reviewId + "."));
		if (!"open".equals(review.status())) {
			throw LinkageError.CONFLICT.exception("Review item " + reviewId + " is already " + review.status() + ".");
		}
		if (link) {
			link(review.record(), review.candidateUpi(), actor, reason);
		}
		else {
			this.store.history(actor, "match-rejected", review.record(),
					this.store.link(review.record()).map(Link::upi).orElse(null), null, review.ruleVersion(),
					review.score(), null, reason);
		}
		this.store.resolveReview(reviewId, link ? "linked" : "rejected", actor);
	}

	private Link requireLink(RecordRef record) {
		return this.store.link(record)
			.orElseThrow(() -> LinkageError.NOT_FOUND
				.exception("Patient/" + record.patientId() + " has no link in that hospital."));
	}

	private void lockRecord(RecordRef record) {
		this.store.lockKeys(List.of(recordKey(record)));
	}

	private static List<String> withRecordLock(List<String> keys, RecordRef record) {
		List<String> all = new java.util.ArrayList<>(keys);
		all.add(recordKey(record));
		return all;
	}

	private static String recordKey(RecordRef record) {
		return "record:" + record.partitionId() + ":" + record.patientId();
	}

	LinkStore store() {
		return this.store;
	}

	/**
	 * Removes a deleted record from its UPI.
	 */
	@Override
	public void remove(RecordRef record, String actor) {
		this.store.link(record).ifPresent((link) -> {
			this.store.remove(record);
			this.store.history(actor, "removed", record, null, link.upi(), this.matcher.rules().version(), null, null,
					"The Patient record was deleted.");
		});
	}

	@Override
	public Map<String, LinkStore.Members> linkedTo(int partitionId, Collection<String> patientIds) {
		return this.store.linkedTo(partitionId, patientIds);
	}

	@Override
	public Optional<UUID> upiOf(RecordRef record) {
		return this.store.link(record).map(Link::upi);
	}

	private boolean stillBelongs(Demographics demographics, UUID upi, RecordRef record) {
		List<Candidate> members = this.store.members(upi, record);
		return members.isEmpty() || members.stream()
			.anyMatch((member) -> this.matcher
				.decide(this.matcher.compare(demographics, member.demographics())) == Decision.LINK);
	}

	/**
	 * The candidates that may be the same person, best first: deterministic links, then
	 * by score.
	 */
	private List<Best> score(Demographics demographics, List<Candidate> candidates) {
		return candidates.stream().map((candidate) -> {
			Comparison comparison = this.matcher.compare(demographics, candidate.demographics());
			return new Best(candidate, comparison, this.matcher.decide(comparison));
		})
			.filter((best) -> best.decision != Decision.NO_MATCH)
			.sorted(Comparator.comparing((Best best) -> best.comparison.deterministic())
				.thenComparingDouble((best) -> best.comparison.score())
				.reversed())
			.toList();
	}

	private static String describe(RecordRef record) {
		return "Patient/" + record.patientId() + " in partition " + record.partitionId();
	}

	private record Best(Candidate candidate, Comparison comparison, Decision decision) {
	}

}
