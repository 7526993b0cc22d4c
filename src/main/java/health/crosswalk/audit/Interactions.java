package health.crosswalk.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.ServletRequestTracing;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a request is, read from HAPI's request details or the servlet request: the
 * interaction, its query, the patient it names, its outcome in a line, and text cleaned
 * for storage. Plain functions, for {@link AuditTrail}.
 */
final class Interactions {

	private static final Pattern ERROR_CODE = Pattern.compile("CW-[A-Z]+-\\d{3}");

	/**
	 * An outcome's diagnostics in its JSON. The runs of plain characters are matched
	 * possessively, each as one step: a loop per character recursed once per character
	 * and overflowed the stack on a 10,000-character message (a 500 for the client).
	 */
	private static final Pattern DIAGNOSTICS = Pattern.compile("\"diagnostics\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"");

	private Interactions() {
	}

	static String interactionOf(RequestDetails request) {
		RestOperationTypeEnum operation = request.getRestOperationType();
		if (operation == null) {
			String path = (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null)
					? servlet.getServletRequest().getPathInfo() : request.getRequestPath();
			return RestPaths.infer(request.getRequestType().name(), (path != null) ? path : "").interaction();
		}
		return switch (operation) {
			case READ -> "read";
			case VREAD -> "vread";
			case SEARCH_TYPE, GET_PAGE -> "search-type";
			case SEARCH_SYSTEM -> "search-system";
			case HISTORY_INSTANCE -> "history-instance";
			case HISTORY_TYPE -> "history-type";
			case HISTORY_SYSTEM -> "history-system";
			case CREATE -> "create";
			case UPDATE -> "update";
			case PATCH -> "patch";
			case DELETE -> "delete";
			case TRANSACTION -> "transaction";
			case BATCH -> "batch";
			case METADATA -> "capabilities";
			default -> "operation";
		};
	}

	static void addTargetPatient(AuditFacts facts) {
		if (facts.touches.isEmpty() && facts.target != null && facts.target.startsWith("Patient/")) {
			facts.touches.add(new AuditFacts.Touch(facts.target, List.of(), Set.of()));
		}
	}

	/**
	 * What the path of a request names, for requests HAPI has not parsed.
	 * @param request the request
	 * @return the interaction inferred from its method and path
	 */
	static RestPaths.Inferred inferFromPath(RequestDetails request) {
		String path = (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null)
				? servlet.getServletRequest().getPathInfo() : request.getRequestPath();
		return RestPaths.infer(request.getRequestType().name(), (path != null) ? path : "");
	}

	static void patientFromParameters(RequestDetails request, AuditFacts facts) {
		for (String name : List.of("patient", "subject", "subject:Patient")) {
			String[] values = request.getParameters().get(name);
			if (values != null && values.length == 1 && !values[0].contains(",") && !values[0].contains("|")) {
				String id = values[0].replaceFirst("^.*Patient/", "");
				if (!id.isEmpty() && !id.contains("/") && !id.contains("?")) {
					facts.touches.add(new AuditFacts.Touch(clean("Patient/" + id), List.of(), Set.of()));
					return;
				}
			}
		}
	}

	static String query(RequestDetails request) {
		StringBuilder query = new StringBuilder();
		query.append(request.getRequestType().name()).append(' ').append(request.getRequestPath());
		char separator = '?';
		for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
			for (String value : parameter.getValue()) {
				query.append(separator)
					.append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
					.append('=')
					.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
				separator = '&';
			}
		}
		return clean(query.toString());
	}

	static List<IBaseResource> resourcesOf(IBaseResource response) {
		if (response == null || response instanceof IBaseOperationOutcome) {
			return List.of();
		}
		if (response instanceof Bundle bundle) {
			List<IBaseResource> resources = new ArrayList<>(bundle.getEntry().size());
			for (BundleEntryComponent entry : bundle.getEntry()) {
				Resource resource = entry.getResource();
				if (resource != null) {
					resources.add(resource);
				}
			}
			return resources;
		}
		return List.of(response);
	}

	static String requestIdOf(RequestDetails request) {
		if (request.getRequestId() != null) {
			return request.getRequestId();
		}
		// Entries of a bundle run as sub-requests without an id of their own.
		if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
			return ServletRequestTracing.getOrGenerateRequestId(servlet.getServletRequest());
		}
		return null;
	}

	static String clientAddress(RequestDetails request) {
		if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
			return servlet.getServletRequest().getRemoteAddr();
		}
		return null;
	}

	static String describe(int status, IBaseResource outcome, String fallback) {
		StringBuilder description = new StringBuilder().append(status);
		if (outcome instanceof OperationOutcome operationOutcome && operationOutcome.hasIssue()) {
			OperationOutcome.OperationOutcomeIssueComponent issue = operationOutcome.getIssueFirstRep();
			issue.getDetails()
				.getCoding()
				.stream()
				.filter((coding) -> coding.hasCode())
				.findFirst()
				.ifPresent((coding) -> description.append(' ').append(coding.getCode()));
			if (issue.hasDiagnostics()) {
				description.append(": ").append(issue.getDiagnostics());
			}
		}
		else if (fallback != null) {
			description.append(": ").append(fallback);
		}
		return clean(description.toString());
	}

	static String describeBody(int status, String body) {
		StringBuilder description = new StringBuilder().append(status);
		if (body != null) {
			Matcher code = ERROR_CODE.matcher(body);
			if (code.find()) {
				description.append(' ').append(code.group());
			}
			Matcher diagnostics = DIAGNOSTICS.matcher(body);
			if (diagnostics.find()) {
				description.append(": ").append(diagnostics.group(1).replace("\\\"", "\""));
			}
		}
		return clean(description.toString());
	}

	static int statusOf(String status) {
		if (status == null) {
			return 200;
		}
		Matcher digits = Pattern.compile("^\\s*(\\d{3})").matcher(status);
		return digits.find() ? Integer.parseInt(digits.group(1)) : 200;
	}

	static char actionOfMethod(String method) {
		return switch (method) {
			case "POST" -> 'C';
			case "PUT", "PATCH" -> 'U';
			case "DELETE" -> 'D';
			default -> 'R';
		};
	}

	/**
	 * The route of an administrative request, with its ids replaced by their names:
	 * {@code /admin/hospitals/general/keys} gives {@code /admin/hospitals/{slug}/keys}.
	 */
	static String adminRoute(String path) {
		String[] segments = path.split("/");
		StringBuilder route = new StringBuilder();
		for (int i = 1; i < segments.length; i++) {
			String previous = segments[i - 1];
			String segment = switch (previous) {
				case "hospitals" -> "{slug}";
				case "keys" -> "{keyId}";
				case "reviews", "upis" -> "{id}";
				case "records" -> "{hospital}";
				default -> (i >= 2 && "records".equals(segments[i - 2])) ? "{patientId}" : segments[i];
			};
			route.append('/').append(segment);
		}
		return clean(route.toString());
	}

	/**
	 * Text as it may be stored: control characters (which PostgreSQL's text refuses, in
	 * the case of NUL) replaced, and at most 2,000 characters.
	 */
	static String clean(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder cleaned = new StringBuilder(Math.min(text.length(), 2000));
		for (int i = 0; i < text.length() && cleaned.length() < 2000; i++) {
			char c = text.charAt(i);
			cleaned.append(Character.isISOControl(c) ? '\uFFFD' : c);
		}
		return cleaned.toString();
	}

}
