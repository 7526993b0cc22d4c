package health.crosswalk.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.SearchParameter.SearchParameterComponentComponent;

/**
 * Which of the R4 specification's search parameters are indexed: for each listed resource
 * type only the listed parameters, plus, always, every reference parameter (referential
 * integrity, compartments and {@code $everything} depend on them) and the parameters
 * every type shares ({@code _id}, {@code _lastUpdated}, {@code _tag}, {@code _profile},
 * {@code _security}, {@code _source}). Types not listed keep every parameter, except the
 * composites HAPI's JPA storage cannot search (of references, or of more than two
 * parameters).
 *
 * <p>
 * The subset reaches HAPI as overrides of the specification's SearchParameter
 * definitions, the way HAPI lets a stored SearchParameter replace a built-in one: a
 * definition dropped for all its types is overridden by a copy marked {@code retired},
 * one dropped for some of its types by a copy naming only the others. HAPI then neither
 * extracts index rows for the dropped parameters nor accepts them in searches, and its
 * CapabilityStatement lists only what is indexed.
 */
final class SearchParameterSubset {

	/**
	 * What Crosswalk indexes of its core types besides references. Dropped: Observation's
	 * {@code combo-*} parameters (each repeats a code or value already indexed once for
	 * the observation and once for its components), {@code method} and the
	 * data-absent-reason codes; phonetic name matching; the performer type of a
	 * medication request.
	 */
	static final Map<String, List<String>> CORE = Map.of("Patient", List.of("active", "address", "address-city",
			"address-country", "address-postalcode", "address-state", "address-use", "birthdate", "death-date",
			"deceased", "email", "family", "gender", "given", "identifier", "language", "name", "phone", "telecom"),
			"Observation",
			List.of("category", "code", "code-value-concept", "code-value-date", "code-value-quantity",
					"code-value-string", "component-code", "component-code-value-concept",
					"component-code-value-quantity", "component-value-concept", "component-value-quantity", "date",
					"identifier", "status", "value-concept", "value-date", "value-quantity", "value-string"),
			"MedicationRequest",
			List.of("authoredon", "category", "code", "date", "identifier", "intent", "priority", "status"),
			"Appointment",
			List.of("appointment-type", "date", "identifier", "part-status", "reason-code", "service-category",
					"service-type", "specialty", "status"),
			"Organization",
			List.of("active", "address", "address-city", "address-country", "address-postalcode", "address-state",
					"address-use", "identifier", "name", "type"),
			"Practitioner",
			List.of("active", "address", "address-city", "address-country", "address-postalcode", "address-state",
					"address-use", "communication", "email", "family", "gender", "given", "identifier", "name", "phone",
					"telecom"));

	private static final String SPECIFICATION = "org/hl7/fhir/r4/model/sp/search-parameters.json";

	private static final Set<String> SHARED_BASES = Set.of("Resource", "DomainResource");

	private final List<SearchParameter> overrides;

	private final Map<String, Set<String>> dropped;

	private SearchParameterSubset(List<SearchParameter> overrides, Map<String, Set<String>> dropped) {
		this.overrides = List.copyOf(overrides);
		this.dropped = dropped;
	}

	/**
	 * Every parameter indexed, nothing overridden.
	 */
	static SearchParameterSubset none() {
		return new SearchParameterSubset(List.of(), Map.of());
	}

	/**
	 * The subset of the specification's parameters that the lists name.
	 * @param fhir an R4 context
	 * @param indexed per resource type (any case), its non-reference parameters to index
	 * @return the subset
	 * @throws IllegalArgumentException if a type or parameter is not in the specification
	 */
	static SearchParameterSubset of(FhirContext fhir, Map<String, List<String>> indexed) {
		List<SearchParameter> specification = specification(fhir);
		Map<String, Set<String>> known = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (SearchParameter parameter : specification) {
			for (CodeType base : parameter.getBase()) {
				known.computeIfAbsent(base.getCode(), (type) -> new TreeSet<>()).add(parameter.getCode());
			}
		}
		Map<String, Set<String>> kept = new TreeMap<>();
		indexed.forEach((type, names) -> {
			String canonical = canonicalType(fhir, known, type);
			Set<String> parameters = new TreeSet<>();
			for (String name : names) {
				String trimmed = name.trim();
				if (!known.get(canonical).contains(trimmed)) {
					throw new IllegalArgumentException("crosswalk.storage.search-parameters.indexed." + type
							+ " names '" + trimmed + "', which is not a search parameter of " + canonical
							+ " in FHIR R4. Its parameters are: " + String.join(", ", known.get(canonical)));
				}
				parameters.add(trimmed);
			}
			kept.put(canonical, parameters);
		});
		Map<String, SearchParameter> byUrl = new LinkedHashMap<>();
		specification.forEach((parameter) -> byUrl.put(parameter.getUrl(), parameter));
		List<SearchParameter> overrides = new ArrayList<>();
		Map<String, Set<String>> dropped = new TreeMap<>();
		for (SearchParameter parameter : specification) {
			List<String> keptBases = new ArrayList<>();
			List<String> droppedBases = new ArrayList<>();
			for (CodeType base : parameter.getBase()) {
				if (isKept(parameter, base.getCode(), kept, byUrl)) {
					keptBases.add(base.getCode());
				}
				else {
					droppedBases.add(base.getCode());
				}
			}
			if (droppedBases.isEmpty()) {
				continue;
			}
			droppedBases
				.forEach((type) -> dropped.computeIfAbsent(type, (t) -> new TreeSet<>()).add(parameter.getCode()));
			SearchParameter override = parameter.copy();
			if (keptBases.isEmpty()) {
				override.setStatus(PublicationStatus.RETIRED);
			}
			else {
				override.getBase().clear();
				keptBases.forEach(override::addBase);
			}
			overrides.add(override);
		}
		return new SearchParameterSubset(overrides, dropped);
	}

	/**
	 * The SearchParameter definitions that replace the specification's.
	 */
	List<SearchParameter> overrides() {
		return this.overrides;
	}

	/**
	 * The parameters not indexed, by resource type.
	 */
	Map<String, Set<String>> dropped() {
		return this.dropped;
	}

	private static boolean isKept(SearchParameter parameter, String type, Map<String, Set<String>> kept,
			Map<String, SearchParameter> byUrl) {
		if (isUnsearchableComposite(parameter, byUrl)) {
			return false;
		}
		if (SHARED_BASES.contains(type) || parameter.getType() == SearchParamType.REFERENCE
				|| !kept.containsKey(type)) {
			return true;
		}
		if (!kept.get(type).contains(parameter.getCode())) {
			return false;
		}
		// A composite needs its components indexed for the same type.
		for (SearchParameterComponentComponent component : parameter.getComponent()) {
			SearchParameter definition = byUrl.get(component.getDefinition());
			if (definition == null || !isKept(definition, type, kept, byUrl)) {
				throw new IllegalArgumentException("crosswalk.storage.search-parameters.indexed." + type + " names '"
						+ parameter.getCode() + "', a composite of parameters it does not name ("
						+ ((definition != null) ? definition.getCode() : component.getDefinition()) + ").");
			}
		}
		return true;
	}

	/**
	 * Composites HAPI's JPA storage refuses to search: those with a reference component
	 * (HAPI-1204) and those of more than two components (HAPI-1947). They are not indexed
	 * and not advertised.
	 */
	private static boolean isUnsearchableComposite(SearchParameter parameter, Map<String, SearchParameter> byUrl) {
		return parameter.getComponent().size() > 2 || parameter.getComponent()
			.stream()
			.map((component) -> byUrl.get(component.getDefinition()))
			.anyMatch((definition) -> definition != null && definition.getType() == SearchParamType.REFERENCE);
	}

	private static String canonicalType(FhirContext fhir, Map<String, Set<String>> known, String type) {
		String trimmed = type.trim();
		for (String resourceType : fhir.getResourceTypes()) {
			if (resourceType.toLowerCase(Locale.ROOT).equals(trimmed.toLowerCase(Locale.ROOT))
					&& known.containsKey(resourceType)) {
				return resourceType;
			}
		}
		throw new IllegalArgumentException("crosswalk.storage.search-parameters.indexed names '" + type
				+ "', which is not a FHIR R4 resource type with search parameters.");
	}

	private static List<SearchParameter> specification(FhirContext fhir) {
		try (InputStream json = SearchParameterSubset.class.getClassLoader().getResourceAsStream(SPECIFICATION)) {
			if (json == null) {
				throw new IllegalStateException(
						"HAPI's copy of the R4 search parameters (" + SPECIFICATION + ") is not on the class path.");
			}
			Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, json);
			List<SearchParameter> parameters = new ArrayList<>();
			for (BundleEntryComponent entry : bundle.getEntry()) {
				if (entry.getResource() instanceof SearchParameter parameter) {
					parameters.add(parameter);
				}
			}
			return parameters;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + SPECIFICATION, ex);
		}
	}

}
