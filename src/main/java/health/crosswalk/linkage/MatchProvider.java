package health.crosswalk.linkage;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.linkage.LinkStore.Candidate;
import health.crosswalk.linkage.Matcher.Comparison;
import health.crosswalk.linkage.Matcher.Decision;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;

/**
 * FHIR R4 {@code Patient/$match}: the caller's hospital's patients that may be the person
 * described, scored by the same matcher that links records, with {@code search.score} (0
 * to 1) and the {@code match-grade} extension.
 */
public final class MatchProvider {

	static final String MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";

	private static final int DEFAULT_COUNT = 10;

	private static final int MAX_CANDIDATES = 200;

	private final LinkStore store;

	private final Matcher matcher;

	private final DaoRegistry daos;

	private final Set<String> trustedSystems;

	MatchProvider(LinkStore store, Matcher matcher, DaoRegistry daos, Set<String> trustedSystems) {
		this.store = store;
		this.matcher = matcher;
		this.daos = daos;
		this.trustedSystems = trustedSystems;
	}

	@Operation(name = "$match", type = Patient.class)
	public Bundle match(@OperationParam(name = "resource", min = 1, max = 1) Patient input,
			@OperationParam(name = "onlyCertainMatches", max = 1) BooleanType onlyCertainMatches,
			@OperationParam(name = "count", max = 1) IntegerType count, RequestDetails request) {
		if (input == null) {
			throw new InvalidRequestException("$match needs a Patient in the 'resource' parameter");
		}
		if (count != null && (count.getValue() == null || count.getValue() < 1)) {
			throw new InvalidRequestException("count must be a positive integer");
		}
		CrosswalkPrincipal principal = Principals.of(request);
		int partition = principal.hospital().partitionId();
		Demographics wanted = Demographics.of(input, this.trustedSystems);
		List<String> keys = Matcher.sortedKeys(Matcher.blockingKeys(wanted));
		boolean certainOnly = onlyCertainMatches != null && Boolean.TRUE.equals(onlyCertainMatches.getValue());
		int limit = (count != null) ? count.getValue() : DEFAULT_COUNT;

		List<Scored> scored = this.store.candidates(keys, new LinkStore.RecordRef(-1, ""), MAX_CANDIDATES)
			.stream()
			.filter((candidate) -> candidate.record().partitionId() == partition)
			.map((candidate) -> new Scored(candidate, this.matcher.compare(wanted, candidate.demographics())))
			.filter((candidate) -> grade(candidate.comparison) != null)
			.filter((candidate) -> !certainOnly || "certain".equals(grade(candidate.comparison)))
			.sorted(Comparator.comparingDouble((Scored candidate) -> candidate.comparison.score()).reversed())
			.limit(certainOnly ? 1 : limit)
			.toList();

		String base = request.getFhirServerBase();
		Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
		bundle.addLink().setRelation(IBaseBundle.LINK_SELF).setUrl(base + "/Patient/$match");
		for (Scored candidate : scored) {
			Patient patient = read(candidate.candidate.record().patientId(), request);
			if (patient == null) {
				continue;
			}
			Bundle.BundleEntrySearchComponent search = bundle.addEntry()
				.setFullUrl(base + "/Patient/" + patient.getIdElement().getIdPart())
				.setResource(patient)
				.getSearch()
				.setMode(Bundle.SearchEntryMode.MATCH)
				.setScore(probability(candidate.comparison));
			search.addExtension(MATCH_GRADE, new CodeType(grade(candidate.comparison)));
		}
		bundle.setTotal(bundle.getEntry().size());
		return bundle;
	}

	private String grade(Comparison comparison) {
		Decision decision = this.matcher.decide(comparison);
		if (decision == Decision.LINK) {
			return "certain";
		}
		if (decision == Decision.REVIEW) {
			return "probable";
		}
		return (comparison.score() >= this.matcher.rules().review() - 5) ? "possible" : null;
	}

	/**
	 * The match score as a probability: a logistic curve over the log-likelihood score,
	 * 0.5 halfway between the review and auto-link thresholds.
	 */
	private double probability(Comparison comparison) {
		if (comparison.deterministic()) {
			return 1.0;
		}
		LinkageRules rules = this.matcher.rules();
		double middle = (rules.review() + rules.autoLink()) / 2;
		double value = 1 / (1 + Math.exp(-(comparison.score() - middle) / 2));
		return Math.round(value * 1000) / 1000.0;
	}

	private Patient read(String id, RequestDetails request) {
		try {
			return this.daos.getResourceDao(Patient.class).read(new IdType("Patient", id), request);
		}
		catch (ResourceNotFoundException | ResourceGoneException ex) {
			return null;
		}
	}

	private record Scored(Candidate candidate, Comparison comparison) {
	}

}
