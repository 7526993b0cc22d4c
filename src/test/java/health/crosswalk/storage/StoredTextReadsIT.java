package health.crosswalk.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read by id answered with its stored text ({@link StoredTextReads}) is the response
 * HAPI's encoder gives: body, ETag, Last-Modified and Content-Type, for up to 40
 * resources of each type of a Synthea feed and, plain and gzipped, for resources shaped
 * to trip a text splice (escapes, narrative, contained resources, extensions on
 * primitives, meta with an extension); reads it must leave to HAPI (a Patient, XML,
 * parameters, a version, text holding the server's base, which HAPI's encoder rewrites in
 * references) are left to it. HAPI's encoding is asked for with {@code _pretty=false}, a
 * parameter, which this server always leaves to HAPI.
 */
class StoredTextReadsIT extends CrosswalkIntegrationTest {

	private static final Path SYNTHEA = Path.of("target", "synthea", "fhir");

	private static final Pattern LOCATION = Pattern.compile("^([A-Za-z]+)/([^/]+)/_history/");

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@Test
	void syntheaResourcesAreReadAsHapiEncodesThem() throws IOException {
		StoredTextReads reads = context().getBean(StoredTextReads.class);
		IGenericClient client = client();
		List<String> ids = new ArrayList<>();
		try (Stream<Path> listed = Files.list(SYNTHEA)) {
			List<Path> files = listed.sorted((a, b) -> order(a) - order(b)).toList();
			for (Path file : files) {
				Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(file));
				for (BundleEntryComponent entry : client.transaction().withBundle(bundle).execute().getEntry()) {
					Matcher location = LOCATION.matcher(entry.getResponse().getLocation());
					if (location.find()) {
						ids.add(location.group(1) + "/" + location.group(2));
					}
				}
			}
		}
		Map<String, Integer> perType = new HashMap<>();
		long before = reads.answered();
		int expected = 0;
		for (String id : ids) {
			String type = id.substring(0, id.indexOf('/'));
			if (perType.merge(type, 1, Integer::sum) > 40) {
				continue;
			}
			assertReadAsHapiEncodes(id, false);
			if (!"Patient".equals(type)) {
				expected++;
			}
		}
		assertThat(perType).as("Synthea's types").hasSizeGreaterThan(10);
		assertThat(expected).as("reads compared").isGreaterThan(200);
		assertThat(reads.answered() - before).as("reads answered with their stored text").isEqualTo(expected);
	}

	@Test
	void resourcesShapedToTripASpliceAreReadAsHapiEncodesThem() throws IOException {
		StoredTextReads reads = context().getBean(StoredTextReads.class);
		IGenericClient client = client();
		List<String> answered = new ArrayList<>();
		answered.add(create(client, escapes()));
		answered.add(create(client, narrativeAndContained()));
		answered.add(create(client, metaWithAnExtension()));
		answered.add(create(client, new Basic().setCode(new CodeableConcept().setText("bare"))));
		// A reference to the server's own base is refused; text holding it is not.
		String ownBase = create(client,
				new Basic().setCode(new CodeableConcept().setText("see " + fhirBaseUrl() + "/Organization/1")));

		long before = reads.answered();
		for (String id : answered) {
			assertReadAsHapiEncodes(id, false);
			assertReadAsHapiEncodes(id, true);
		}
		assertThat(reads.answered() - before).isEqualTo(2L * answered.size());

		before = reads.answered();
		assertReadAsHapiEncodes(ownBase, false);
		assertReadAsHapiEncodes(newPatient(client).getReference(), false);
		String id = answered.get(0);
		assertThat(get("/fhir/" + id, "application/fhir+xml", false).body()).startsWith("<Basic");
		assertThat(get("/fhir/" + id + "?_summary=true", null, false).statusCode()).isEqualTo(200);
		assertThat(get("/fhir/" + id + "/_history/1", null, false).statusCode()).isEqualTo(200);
		assertThat(reads.answered()).as("reads left to HAPI").isEqualTo(before);
	}

	private void assertReadAsHapiEncodes(String id, boolean gzip) {
		Read ours = get("/fhir/" + id, null, gzip);
		Read hapis = get("/fhir/" + id + "?_pretty=false", null, gzip);
		assertThat(ours.statusCode()).as(id).isEqualTo(200);
		assertThat(hapis.statusCode()).as(id).isEqualTo(200);
		assertThat(ours.body()).as(id).isEqualTo(hapis.body());
		for (String header : List.of("ETag", "Last-Modified", "Content-Type", "Content-Encoding")) {
			assertThat(ours.headers().allValues(header)).as(id + " " + header)
				.isEqualTo(hapis.headers().allValues(header));
		}
		if (gzip) {
			assertThat(ours.headers().firstValue("Content-Encoding")).as(id).hasValue("gzip");
		}
	}

	private Read get(String path, String accept, boolean gzip) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serverUrl() + path))
			.header("Accept", (accept != null) ? accept : "application/fhir+json")
			.header("Authorization", "Bearer " + hospital().key());
		if (gzip) {
			request.header("Accept-Encoding", "gzip");
		}
		try {
			HttpResponse<byte[]> response = HTTP.send(request.GET().build(), BodyHandlers.ofByteArray());
			byte[] body = response.body();
			if (response.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent()) {
				try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
					body = in.readAllBytes();
				}
			}
			return new Read(response.statusCode(), response.headers(), new String(body, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String create(IGenericClient client, Basic basic) {
		if (!basic.hasCode()) {
			basic.setCode(new CodeableConcept().setText("odd"));
		}
		return "Basic/" + client.create().resource(basic).execute().getId().getIdPart();
	}

	/** Strings whose JSON escapes, braces and quotes a scan could take for structure. */
	private static Basic escapes() {
		Basic basic = new Basic();
		basic.setCode(new CodeableConcept().setText("quote \" backslash \\ braces {}[] \"meta\":{ tab\t é ☃ 😀"));
		basic.addExtension(new Extension("http://example.org/decimal", new DecimalType("1.50")));
		basic.setCreatedElement(new DateType("2024-02"));
		basic.getCreatedElement().addExtension(new Extension("http://example.org/on-a-primitive", new StringType("}")));
		return basic;
	}

	private static Basic narrativeAndContained() {
		Basic basic = new Basic();
		basic.getText()
			.setStatus(Narrative.NarrativeStatus.GENERATED)
			.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a &lt; b &amp; c &gt; d</p>"
					+ "<p>é &#169; <b>bold</b></p></div>");
		Organization contained = new Organization().setName("Contained \"org\"");
		contained.setId("org1");
		basic.addContained(contained);
		basic.setAuthor(new Reference("#org1"));
		basic.setLanguage("en");
		return basic;
	}

	private static Basic metaWithAnExtension() {
		Basic basic = new Basic();
		basic.getMeta().addTag(new Coding("http://example.org/tags", "t1", "Tag one"));
		basic.getMeta().addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "TBOO", null));
		basic.getMeta().addExtension(new Extension("http://example.org/meta-extension", new StringType("on meta")));
		return basic;
	}

	private static int order(Path file) {
		String name = file.getFileName().toString();
		return name.startsWith("hospitalInformation") ? 0 : name.startsWith("practitionerInformation") ? 1 : 2;
	}

	/** A response, its body decoded whether gzipped or not. */
	private record Read(int statusCode, HttpHeaders headers, String body) {
	}

}
