package health.crosswalk.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMART on FHIR resource scopes, v2 ({@code system/Observation.rs}) and v1
 * ({@code user/*.read}).
 *
 * <p>
 * {@code system/} and {@code user/} scopes grant their interactions on their type in the
 * caller's hospital. {@code patient/} scopes need a launch context Crosswalk does not
 * offer yet, and scopes narrowed by a query ({@code ?category=...}) are not supported:
 * both grant nothing, so nothing is granted by mistake. Other scopes ({@code openid},
 * {@code fhirUser}, ...) are ignored.
 */
public final class SmartScopes {

	/** c(reate), r(ead), u(pdate), d(elete), s(earch). */
	public static final String INTERACTIONS = "cruds";

	private static final Pattern RESOURCE_SCOPE = Pattern
		.compile("(patient|user|system)/([A-Za-z]+|\\*)\\.(read|write|\\*|c?r?u?d?s?)(\\?.*)?");

	/** Compiled once: {@code String.split} would compile it for every request. */
	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private final String text;

	private final List<Grant> grants;

	private SmartScopes(String text, List<Grant> grants) {
		this.text = text;
		this.grants = grants;
	}

	/**
	 * Parses a space-separated scope string.
	 * @param scopes the scopes, possibly null or empty
	 * @return the parsed scopes
	 */
	public static SmartScopes parse(String scopes) {
		if (scopes == null || scopes.isBlank()) {
			return new SmartScopes("", List.of());
		}
		List<Grant> grants = new ArrayList<>();
		for (String scope : WHITESPACE.split(scopes.trim())) {
			Matcher matcher = RESOURCE_SCOPE.matcher(scope);
			if (matcher.matches() && !matcher.group(1).equals("patient") && matcher.group(4) == null
					&& !matcher.group(3).isEmpty()) {
				grants.add(new Grant(matcher.group(2), interactions(matcher.group(3))));
			}
		}
		return new SmartScopes(scopes.trim(), Collections.unmodifiableList(grants));
	}

	private static String interactions(String permission) {
		return switch (permission) {
			case "read" -> "rs";
			case "write" -> "cud";
			case "*" -> INTERACTIONS;
			default -> permission;
		};
	}

	/**
	 * Whether these scopes allow an interaction on a resource type.
	 * @param resourceType a FHIR resource type
	 * @param interaction one of {@value #INTERACTIONS}
	 * @return true if some scope grants it
	 */
	public boolean permits(String resourceType, char interaction) {
		for (Grant grant : this.grants) {
			if ((grant.type.equals("*") || grant.type.equals(resourceType))
					&& grant.interactions.indexOf(interaction) >= 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether these scopes allow an interaction on every resource type.
	 * @param interaction one of {@value #INTERACTIONS}
	 * @return true if a wildcard scope grants it
	 */
	public boolean permitsAll(char interaction) {
		return permits("*", interaction);
	}

	/**
	 * The scope string as granted.
	 * @return space-separated scopes
	 */
	public String text() {
		return this.text;
	}

	@Override
	public String toString() {
		return this.text;
	}

	private record Grant(String type, String interactions) {
	}

}
