package health.crosswalk.migration;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;

/**
 * What a {@code $import} kick-off asks for, checked before a job is queued: the shape of
 * HAPI's and the Bulk Data "ping and pull" import ({@code inputFormat},
 * {@code inputSource}, one {@code input} with {@code type} and {@code url} per NDJSON
 * file).
 *
 * @param source the source's name in the legacy identifier system, from
 * {@code inputSource}: the same origin imported twice updates the records of the first
 * run
 * @param inputs the files, in the order given
 */
record ImportRequest(String source, List<Input> inputs) {

	/** The only format read. */
	static final String NDJSON = "application/fhir+ndjson";

	/** The most files one import may name. */
	static final int MAX_INPUTS = 1000;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern BINARY = Pattern.compile("Binary/([A-Za-z0-9\\-.]{1,64})");

	/**
	 * One file.
	 *
	 * @param type the resource type it holds, as the client says (null if not said)
	 * @param url {@code Binary/[id]} in the requester's hospital, or an absolute URL
	 */
	record Input(String type, String url) {

		/**
		 * The id of the Binary the file is.
		 * @return its id, or null for an absolute URL
		 */
		String binaryId() {
			Matcher matcher = BINARY.matcher(this.url);
			return matcher.matches() ? matcher.group(1) : null;
		}

	}

	/**
	 * Checks a kick-off's parameters.
	 * @param parameters the body
	 * @param serverBase the server's FHIR base as the client called it
	 * @param resourceTypes the FHIR resource types
	 * @param allowedUrls the prefixes absolute URLs must start with
	 * @return the request
	 * @throws health.crosswalk.server.CrosswalkException {@code CW-IMPORT-002} or
	 * {@code CW-IMPORT-006}
	 */
	static ImportRequest of(Parameters parameters, String serverBase, Set<String> resourceTypes,
			List<String> allowedUrls) {
		if (parameters == null) {
			throw ImportError.BAD_REQUEST.exception("The body must be a Parameters resource.");
		}
		String format = null;
		String origin = null;
		List<Input> inputs = new ArrayList<>();
		for (ParametersParameterComponent parameter : parameters.getParameter()) {
			String name = parameter.getName();
			if ("inputFormat".equals(name)) {
				format = primitive(parameter);
			}
			else if ("inputSource".equals(name)) {
				origin = primitive(parameter);
			}
			else if ("input".equals(name)) {
				inputs.add(input(parameter, inputs.size(), serverBase, resourceTypes, allowedUrls));
			}
			else if ("storageDetail".equals(name)) {
				storageDetail(parameter);
			}
			else {
				throw ImportError.BAD_REQUEST.exception("Unknown parameter '" + name
						+ "': give inputFormat, inputSource, input and, optionally, storageDetail.");
			}
		}
		if (format != null && !NDJSON.equals(format)) {
			throw ImportError.BAD_REQUEST.exception("inputFormat '" + format + "' is not read; give " + NDJSON + ".");
		}
		if (origin == null || origin.isBlank()) {
			throw ImportError.BAD_REQUEST.exception("inputSource is required: the URI of the system the data comes "
					+ "from. Records imported again from the same inputSource update those imported before.");
		}
		if (inputs.isEmpty()) {
			throw ImportError.BAD_REQUEST.exception("Name at least one input (type, url).");
		}
		if (inputs.size() > MAX_INPUTS) {
			throw ImportError.BAD_REQUEST
				.exception("At most " + MAX_INPUTS + " inputs per import, not " + inputs.size() + ".");
		}
		return new ImportRequest(sourceName(origin), List.copyOf(inputs));
	}

	/**
	 * The source's name for an origin: its host and path, lower case, every other
	 * character a hyphen, then the start of a hash of them
	 * ({@code https://ehr.example.org/fhir} is {@code ehr-example-org-fhir-} and eight
	 * hex digits), at most 63 characters. Scheme, case and a trailing slash do not count.
	 * @param origin the {@code inputSource}
	 * @return a name of {@code [a-z0-9][a-z0-9-]*}
	 */
	static String sourceName(String origin) {
		String text = origin.trim().toLowerCase(Locale.ROOT).replaceFirst("^[a-z][a-z0-9+.-]*://", "");
		text = text.replaceAll("/+$", "");
		String name = text.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (name.isEmpty()) {
			throw ImportError.BAD_REQUEST
				.exception("inputSource '" + origin + "' names no system: give the URI the data comes from.");
		}
		if (name.length() > 54) {
			name = name.substring(0, 54).replaceAll("-+$", "");
		}
		// Origins that read alike (other punctuation, a long common start) stay apart.
		return name + "-" + HexFormat.of().formatHex(sha256(text)).substring(0, 8);
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The inputs as stored with the job.
	 * @return a JSON array of {@code {type, url}}
	 */
	String inputsJson() {
		ArrayNode array = JSON.createArrayNode();
		for (Input input : this.inputs) {
			ObjectNode node = array.addObject();
			if (input.type() != null) {
				node.put("type", input.type());
			}
			node.put("url", input.url());
		}
		return array.toString();
	}

	/**
	 * The inputs of a stored job.
	 * @param json what {@link #inputsJson()} gave
	 * @return the inputs
	 */
	static List<Input> inputs(String json) {
		try {
			List<Input> inputs = new ArrayList<>();
			for (JsonNode node : JSON.readTree(json)) {
				inputs.add(new Input(node.hasNonNull("type") ? node.get("type").asText() : null,
						node.get("url").asText()));
			}
			return inputs;
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("An import job's inputs are not JSON: " + ex.getMessage(), ex);
		}
	}

	private static Input input(ParametersParameterComponent parameter, int index, String serverBase,
			Set<String> resourceTypes, List<String> allowedUrls) {
		String type = null;
		String url = null;
		for (ParametersParameterComponent part : parameter.getPart()) {
			if ("type".equals(part.getName())) {
				type = primitive(part);
			}
			else if ("url".equals(part.getName())) {
				url = primitive(part);
			}
			else {
				throw ImportError.BAD_REQUEST
					.exception("input[" + index + "] has a part '" + part.getName() + "'; an input has type and url.");
			}
		}
		if (type != null && !resourceTypes.contains(type)) {
			throw ImportError.BAD_REQUEST
				.exception("input[" + index + "].type '" + type + "' is not a FHIR resource type.");
		}
		if (url == null || url.isBlank()) {
			throw ImportError.BAD_REQUEST.exception("input[" + index + "] has no url.");
		}
		return new Input(type, location(url.trim(), index, serverBase, allowedUrls));
	}

	/**
	 * Where a file is: a Binary of the server's (relative, or under its base), or an
	 * absolute URL under an allowed prefix.
	 */
	private static String location(String url, int index, String serverBase, List<String> allowedUrls) {
		String base = serverBase.endsWith("/") ? serverBase : serverBase + "/";
		String relative = url.startsWith(base) ? url.substring(base.length()) : url;
		if (BINARY.matcher(relative).matches()) {
			return relative;
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw ImportError.BAD_REQUEST.exception("input[" + index + "].url '" + url + "' is not a URL.");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getRawUserInfo() != null
				|| uri.getHost() == null) {
			throw ImportError.SOURCE_NOT_ALLOWED.exception("input[" + index + "].url '" + url
					+ "' is neither Binary/[id] of your hospital nor an http(s) URL.");
		}
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		String lower = path.toLowerCase(Locale.ROOT);
		List<String> segments = List.of(path.split("/", -1));
		if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.contains(";")
				|| path.contains("\\") || segments.contains("..") || segments.contains(".")
				|| uri.getRawFragment() != null) {
			throw ImportError.SOURCE_NOT_ALLOWED.exception("input[" + index + "].url '" + url
					+ "' has dot segments, encoded dots or slashes, ';' or a fragment; name the file plainly.");
		}
		if (allowedUrls.stream().noneMatch((prefix) -> under(uri, URI.create(prefix)))) {
			throw ImportError.SOURCE_NOT_ALLOWED.exception("input[" + index + "].url '" + url
					+ "' is not under a location this server may fetch from (crosswalk.import.allowed-urls).");
		}
		return uri.toString();
	}

	/**
	 * Whether a URL is under an allowed location: same scheme, host and port, and path.
	 */
	private static boolean under(URI url, URI location) {
		return url.getScheme().equalsIgnoreCase(location.getScheme())
				&& url.getHost().equalsIgnoreCase(location.getHost()) && port(url) == port(location)
				&& url.getRawPath() != null && url.getRawPath().startsWith(location.getRawPath());
	}

	private static int port(URI uri) {
		return (uri.getPort() != -1) ? uri.getPort() : (uri.getScheme().equalsIgnoreCase("https") ? 443 : 80);
	}

	private static void storageDetail(ParametersParameterComponent parameter) {
		String type = parameter.hasValue() ? primitive(parameter) : null;
		for (ParametersParameterComponent part : parameter.getPart()) {
			if ("type".equals(part.getName())) {
				type = primitive(part);
			}
			else {
				throw ImportError.BAD_REQUEST.exception("storageDetail." + part.getName()
						+ " is not supported: files are fetched without credentials, or uploaded as Binary.");
			}
		}
		if (type != null && !type.equals("https") && !type.equals("http")) {
			throw ImportError.BAD_REQUEST
				.exception("storageDetail type '" + type + "' is not supported: files are fetched over http(s).");
		}
	}

	private static String primitive(ParametersParameterComponent parameter) {
		return (parameter.getValue() != null && parameter.getValue().isPrimitive())
				? parameter.getValue().primitiveValue() : null;
	}

}
