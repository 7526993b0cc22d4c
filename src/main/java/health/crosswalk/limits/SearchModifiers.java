package health.crosswalk.limits;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.UrlUtil;
import health.crosswalk.server.Outcomes;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Refuses {@code :missing} (absent values are not indexed), also at the end of a chain,
 * and a search parameter with a modifier FHIR R4 does not define for the parameter's type
 * ({@code name:bogus}, {@code birthdate:exact}), which HAPI would ignore, searching for
 * something else than the client asked (a conditional delete would delete more). Only the
 * modifier of a parameter the resource type has is checked: an unknown parameter is
 * HAPI's to refuse, a chain's later links ({@code subject:Patient.name:exact}) are HAPI's
 * to read, and {@code _has} is left alone. On a reference, a modifier written as a type
 * name ({@code subject:Patient}) is a type, which HAPI checks. A {@code near} value HAPI
 * could not read is refused too ({@link NearValues}), and so is a bundle entry's URL that
 * cannot be decoded.
 */
final class SearchModifiers {

	private static final Set<String> MISSING = Set.of("missing");

	private static final String MISSING_SUFFIX = ":missing";

	private static final String NEAR = "near";

	/** The modifiers of FHIR R4's search (section 3.1.1.5.5), by parameter type. */
	private static final Map<RestSearchParameterTypeEnum, Set<String>> ALLOWED = new EnumMap<>(Map.of(
			RestSearchParameterTypeEnum.STRING, Set.of("exact", "contains", "missing"),
			RestSearchParameterTypeEnum.TOKEN,
			Set.of("text", "not", "above", "below", "in", "not-in", "of-type", "missing"),
			RestSearchParameterTypeEnum.REFERENCE, Set.of("missing", "identifier", "above", "below"),
			RestSearchParameterTypeEnum.URI, Set.of("missing", "above", "below"), RestSearchParameterTypeEnum.DATE,
			MISSING, RestSearchParameterTypeEnum.NUMBER, MISSING, RestSearchParameterTypeEnum.QUANTITY, MISSING,
			RestSearchParameterTypeEnum.COMPOSITE, MISSING, RestSearchParameterTypeEnum.SPECIAL, MISSING));

	private final BiFunction<String, String, RestSearchParameterTypeEnum> types;

	/**
	 * The check over the server's search parameters.
	 * @param types the type of a resource type's search parameter (resource type,
	 * parameter name), or null when it has none of that name
	 */
	SearchModifiers(BiFunction<String, String, RestSearchParameterTypeEnum> types) {
		this.types = types;
	}

	/**
	 * Refuses a request whose search parameters have a modifier their type does not: a
	 * search ({@code GET Patient?}, {@code POST Patient/_search}, a compartment's), the
	 * search of a conditional update, patch or delete, and a conditional create's
	 * {@code If-None-Exist}.
	 * @param request the request, before HAPI handles it
	 * @param operation what HAPI will do
	 * @throws BaseServerResponseException (400) naming the parameter and its modifier
	 */
	void check(RequestDetails request, RestOperationTypeEnum operation) {
		String searched = searchedType(request, operation);
		if (searched != null) {
			check(searched, request.getParameters());
		}
		String condition = (operation == RestOperationTypeEnum.CREATE && request.getResourceName() != null)
				? request.getHeader(Constants.HEADER_IF_NONE_EXIST) : null;
		if (condition != null) {
			Map<String, String[]> parameters;
			try {
				parameters = UrlUtil.parseQueryString(condition.substring(condition.indexOf('?') + 1));
			}
			catch (IllegalArgumentException ex) {
				// Not decodable: HAPI refuses it with a 400 of its own.
				return;
			}
			check(request.getResourceName(), parameters);
		}
	}

	/**
	 * Refuses parameters with a modifier their type does not have, {@code :missing}, or a
	 * {@code near} value HAPI cannot read.
	 * @param resourceType the type searched
	 * @param parameters the parameters as sent (names with modifiers and chains), decoded
	 * @throws BaseServerResponseException (400) naming the parameter
	 */
	void check(String resourceType, Map<String, String[]> parameters) {
		check(resourceType, parameters.keySet());
		if (parameters.containsKey(Constants.PARAM_OFFSET) && sortsByDistance(parameters.get(Constants.PARAM_SORT))) {
			// HAPI 8.8 groups an offset query's rows, which PostgreSQL refuses with the
			// distance they are sorted by (a 500).
			throw new InvalidRequestException("A search sorted by distance (_sort=near) cannot be paged with "
					+ "_offset; follow the next links of its pages instead.");
		}
		String[] near = parameters.get(NEAR);
		if (near != null && this.types.apply(resourceType, NEAR) == RestSearchParameterTypeEnum.SPECIAL) {
			for (String value : near) {
				String problem = NearValues.problem(value);
				if (problem != null) {
					throw LimitError.INVALID_NEAR.exception(problem);
				}
			}
		}
	}

	/**
	 * Refuses a transaction or batch whose entries search with a modifier their type does
	 * not have, or with {@code :missing}: the URL of a GET, of a conditional PUT, PATCH
	 * or DELETE, and a POST's {@code ifNoneExist}. HAPI runs a transaction's entries
	 * without the request hooks that check a plain search, and failed on {@code :missing}
	 * with a 500.
	 * @param bundle the bundle about to be processed
	 * @throws BaseServerResponseException (400) naming the entry and the parameter
	 */
	void checkEntries(IBaseBundle bundle) {
		if (!(bundle instanceof Bundle r4)) {
			return;
		}
		for (int i = 0; i < r4.getEntry().size(); i++) {
			Bundle.BundleEntryRequestComponent request = r4.getEntry().get(i).getRequest();
			decodable(i, "url", request.getUrl());
			decodable(i, "ifNoneExist", request.getIfNoneExist());
			try {
				UrlUtil.UrlParts url = (request.getUrl() != null) ? UrlUtil.parseUrl(request.getUrl()) : null;
				String type = (url != null) ? url.getResourceType() : null;
				if (type != null && url.getParams() != null) {
					check(type, UrlUtil.parseQueryString(url.getParams()));
				}
				if (type != null && request.hasIfNoneExist()) {
					String condition = request.getIfNoneExist();
					check(type, UrlUtil.parseQueryString(condition.substring(condition.indexOf('?') + 1)));
				}
			}
			catch (BaseServerResponseException ex) {
				if (ex.getOperationOutcome() instanceof OperationOutcome outcome) {
					outcome.getIssueFirstRep()
						.setDiagnostics(
								"Bundle.entry[" + i + "].request: " + outcome.getIssueFirstRep().getDiagnostics());
				}
				throw ex;
			}
		}
	}

	private static boolean sortsByDistance(String[] sorts) {
		if (sorts != null) {
			for (String sort : sorts) {
				for (String key : sort.split(",")) {
					if (NEAR.equals(key.strip().replaceFirst("^-", ""))) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/**
	 * Refuses a conditional reference in a resource ({@code subject} of
	 * {@code Patient?identifier=...}) whose search HAPI would fail on or misread, as the
	 * same search sent alone would be: HAPI resolves it while storing the resource, and
	 * failed on {@code :missing} or a bad {@code near} with a 500.
	 * @param reference the reference as sent
	 * @throws BaseServerResponseException (400) naming the reference
	 */
	void checkConditionalReference(String reference) {
		int question = reference.indexOf('?');
		String type = (question > 0) ? reference.substring(0, question) : "";
		if (!isTypeName(type)) {
			return;
		}
		String what = "The conditional reference '" + Outcomes.quote(reference) + "'";
		Map<String, String[]> parameters;
		try {
			parameters = UrlUtil.parseQueryString(reference.substring(question + 1));
		}
		catch (IllegalArgumentException ex) {
			throw undecodable(what);
		}
		try {
			check(type, parameters);
		}
		catch (BaseServerResponseException ex) {
			if (ex.getOperationOutcome() instanceof OperationOutcome outcome) {
				outcome.getIssueFirstRep().setDiagnostics(what + ": " + outcome.getIssueFirstRep().getDiagnostics());
			}
			throw ex;
		}
	}

	/**
	 * Refuses an entry's URL or condition that cannot be percent-decoded: HAPI would fail
	 * on it with a 500 in the entry's response.
	 */
	private static void decodable(int entry, String element, String url) {
		if (url == null) {
			return;
		}
		try {
			URLDecoder.decode(url, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw undecodable("Bundle.entry[" + entry + "].request." + element + " '" + Outcomes.quote(url) + "'");
		}
	}

	private static InvalidRequestException undecodable(String what) {
		return new InvalidRequestException(
				what + " could not be decoded: percent-encode reserved characters, e.g. %25 for '%'.");
	}

	/**
	 * The resource type a request's parameters search.
	 * @param request the request
	 * @param operation what HAPI will do
	 * @return the type, or null when its parameters are no search (a read, an operation
	 * such as {@code $everything})
	 */
	static String searchedType(RequestDetails request, RestOperationTypeEnum operation) {
		String operationName = request.getOperation();
		if (request.getResourceName() == null || operation == null
				|| (operationName != null && operationName.startsWith("$"))) {
			return null;
		}
		return switch (operation) {
			case SEARCH_TYPE ->
				(request.getCompartmentName() != null) ? request.getCompartmentName() : request.getResourceName();
			case UPDATE, PATCH, DELETE ->
				(request.getId() == null || !request.getId().hasIdPart()) ? request.getResourceName() : null;
			default -> null;
		};
	}

	/**
	 * Refuses the first parameter whose modifier its type does not have.
	 * @param resourceType the type searched
	 * @param names the parameter names as sent, modifiers and chains included
	 * @throws BaseServerResponseException (400) naming the parameter and its modifier
	 */
	void check(String resourceType, Iterable<String> names) {
		for (String name : names) {
			if (isMissing(resourceType, name)) {
				String where = (name.indexOf('.') < 0)
						? "where " + resourceType + "." + name.substring(0, name.indexOf(':'))
						: "at the end of its chain where an element";
				throw LimitError.MISSING_NOT_SUPPORTED.exception("The search parameter '" + Outcomes.quote(name)
						+ "' asks for resources " + where + " is absent or present; this server does not index "
						+ "absent values, so it cannot answer :missing.");
			}
			String problem = problem(resourceType, name);
			if (problem != null) {
				throw LimitError.UNKNOWN_MODIFIER.exception(problem);
			}
		}
	}

	/**
	 * What is wrong with one parameter's modifier.
	 * @param resourceType the type searched
	 * @param name the parameter name as sent
	 * @return the problem, or null
	 */
	String problem(String resourceType, String name) {
		int dot = name.indexOf('.');
		String link = (dot >= 0) ? name.substring(0, dot) : name;
		int colon = link.indexOf(':');
		if (colon < 0 || link.startsWith("_has:")) {
			return null;
		}
		String parameter = link.substring(0, colon);
		String modifier = link.substring(colon + 1);
		RestSearchParameterTypeEnum type = this.types.apply(resourceType, parameter);
		if (type == null) {
			return null;
		}
		if (type == RestSearchParameterTypeEnum.REFERENCE && isTypeName(modifier)) {
			return null;
		}
		Set<String> allowed = ALLOWED.getOrDefault(type, MISSING);
		if (dot < 0 && allowed.contains(modifier)) {
			return null;
		}
		String printable = Outcomes.quote(name);
		if (dot >= 0) {
			return "The chained parameter '" + printable + "' has the modifier ':" + Outcomes.quote(modifier)
					+ "'; a chain follows a reference parameter, with no modifier or a resource type (such as "
					+ parameter + ":Patient.name).";
		}
		List<String> sorted = allowed.stream().sorted().map((m) -> ":" + m).toList();
		return "The search parameter '" + printable + "' has the modifier ':" + Outcomes.quote(modifier)
				+ "', which FHIR R4 does not define for " + resourceType + "." + parameter + " (a " + type.getCode()
				+ " parameter); its modifiers are " + String.join(", ", sorted)
				+ ((type == RestSearchParameterTypeEnum.REFERENCE) ? " and a resource type" : "") + ".";
	}

	/**
	 * Whether a parameter the type has asks {@code :missing}. HAPI answers it only from
	 * index rows of absent values, which Crosswalk does not write (they would cost a row
	 * per absent parameter of every resource stored); without them HAPI 8.8 fails to
	 * build the query (HAPI-2223) or finds nothing, so the modifier is refused.
	 */
	private boolean isMissing(String resourceType, String name) {
		if (!name.endsWith(MISSING_SUFFIX)) {
			return false;
		}
		int dot = name.indexOf('.');
		if (dot < 0) {
			return this.types.apply(resourceType, name.substring(0, name.length() - MISSING_SUFFIX.length())) != null;
		}
		// At the end of a chain (subject:Patient.name:missing), HAPI 8.8 fails to build
		// the query in a partition (HAPI-2223) just as on the parameter itself.
		String first = name.substring(0, dot);
		int colon = first.indexOf(':');
		return this.types.apply(resourceType, (colon < 0) ? first : first.substring(0, colon)) != null;
	}

	/**
	 * Whether a reference's modifier is written as a resource type ({@code Patient}):
	 * which types exist and which the reference may point to is HAPI's to check.
	 */
	private static boolean isTypeName(String modifier) {
		return !modifier.isEmpty() && modifier.charAt(0) >= 'A' && modifier.charAt(0) <= 'Z'
				&& modifier.chars().allMatch(Character::isLetterOrDigit);
	}

}
