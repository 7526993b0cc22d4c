package health.crosswalk.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;

/**
 * What tests elsewhere check against the IHE transcriptions: which profile an AuditEvent
 * of Crosswalk's must fit, and its errors against it; PIXm's and PDQm's answers.
 *
 * <p>
 * One validator serves every test of a JVM: its snapshots take seconds to generate.
 */
public final class Conformance {

	private static ConformanceValidator validator;

	private Conformance() {
	}

	static synchronized ConformanceValidator validator() {
		if (validator == null) {
			validator = new ConformanceValidator();
		}
		return validator;
	}

	/**
	 * The profiles an AuditEvent of Crosswalk's must fit, by its interaction: the BALP
	 * profile (its Patient variant when a patient is named), PIXm's or PDQm's for their
	 * transactions, and Crosswalk's own rule on agent roles with any of them.
	 * @param event the event
	 * @return the canonical URLs, empty when no IHE profile covers the interaction
	 * (history, bundles, capabilities, other operations, administration)
	 */
	public static List<String> profilesFor(AuditEvent event) {
		IheProfile profile = profileFor(event);
		return (profile != null) ? List.of(profile.url(), IheProfiles.AUDIT_ROLES) : List.of();
	}

	private static IheProfile profileFor(AuditEvent event) {
		if (!"rest".equals(event.getType().getCode())) {
			return null;
		}
		Set<String> subtypes = event.getSubtype().stream().map(Coding::getCode).collect(Collectors.toSet());
		boolean patient = event.getEntity()
			.stream()
			.anyMatch((entity) -> "1".equals(entity.getType().getCode()) && "1".equals(entity.getRole().getCode()));
		IheProfile profile;
		if (subtypes.contains("ITI-83")) {
			profile = IheProfile.PIXM_QUERY_AUDIT_MANAGER;
		}
		else if (subtypes.contains("ITI-119")) {
			profile = IheProfile.PDQM_MATCH_AUDIT_SUPPLIER;
		}
		else if (subtypes.contains("read") || subtypes.contains("vread")) {
			profile = patient ? IheProfile.BALP_PATIENT_READ : IheProfile.BALP_READ;
		}
		else if (subtypes.contains("create")) {
			profile = patient ? IheProfile.BALP_PATIENT_CREATE : IheProfile.BALP_CREATE;
		}
		else if (subtypes.contains("update") || subtypes.contains("patch")) {
			profile = patient ? IheProfile.BALP_PATIENT_UPDATE : IheProfile.BALP_UPDATE;
		}
		else if (subtypes.contains("delete")) {
			profile = patient ? IheProfile.BALP_PATIENT_DELETE : IheProfile.BALP_DELETE;
		}
		else if (subtypes.contains("search") || subtypes.contains("search-type")
				|| subtypes.contains("search-system")) {
			profile = patient ? IheProfile.BALP_PATIENT_QUERY : IheProfile.BALP_QUERY;
		}
		else {
			return null;
		}
		return profile;
	}

	/**
	 * The errors of an AuditEvent against the profiles {@link #profilesFor} chooses. BALP
	 * profiles successes; a refused or failed interaction keeps the same shape with its
	 * own outcome, so for those the outcome alone is not held against it.
	 * @param event the event
	 * @return the errors, each {@code location: message}; empty when it fits or no
	 * profile covers it
	 */
	public static List<String> auditErrors(AuditEvent event) {
		List<String> profiles = profilesFor(event);
		if (profiles.isEmpty()) {
			return validator().errors(event);
		}
		List<String> errors = new ArrayList<>(validator().errors(event, profiles.toArray(String[]::new)));
		if (validator().hasIhePackages()) {
			errors.addAll(validator().iheErrors(event, profileFor(event)));
		}
		if (!"0".equals(event.getOutcome().toCode())) {
			errors.removeIf((error) -> error.startsWith("AuditEvent.outcome"));
			boolean namesPatient = event.getEntity()
				.stream()
				.anyMatch((entity) -> "1".equals(entity.getType().getCode()));
			if (!namesPatient) {
				// A failed request that named no patient (a PIXm query without a
				// sourceIdentifier) has none to record.
				errors.removeIf((error) -> error.contains("'AuditEvent.entity:patient': a matching slice is required"));
			}
		}
		return errors;
	}

	/**
	 * The errors of an {@code $ihe-pix} answer against PIXm's Query Parameters Out.
	 * @param parameters the answer
	 * @return the errors
	 */
	public static List<String> pixAnswerErrors(IBaseResource parameters) {
		return errors(parameters, IheProfile.PIXM_QUERY_PARAMETERS_OUT);
	}

	/** Against our transcription, and IHE's original when its package is loaded. */
	private static List<String> errors(IBaseResource resource, IheProfile profile) {
		List<String> errors = new ArrayList<>(validator().errors(resource, profile));
		if (validator().hasIhePackages()) {
			errors.addAll(validator().iheErrors(resource, profile));
		}
		return errors;
	}

	/**
	 * The errors of a {@code $match} answer against PDQm's Match Parameters Out (whose
	 * Patients are PDQm Patients).
	 * @param bundle the answer
	 * @return the errors
	 */
	public static List<String> matchAnswerErrors(IBaseResource bundle) {
		return errors(bundle, IheProfile.PDQM_MATCH_PARAMETERS_OUT);
	}

	/**
	 * A short name of the profiles an event is checked against, for messages.
	 * @param event the event
	 * @return e.g. {@code balp-patient-read}, or {@code AuditEvent}
	 */
	public static String describe(AuditEvent event) {
		List<String> profiles = profilesFor(event);
		return profiles.isEmpty() ? "AuditEvent" : profiles.get(0).substring(profiles.get(0).lastIndexOf('/') + 1);
	}

}
