package health.crosswalk.migration;

import java.util.List;
import java.util.Set;

import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportRequestTest {

	private static final String BASE = "https://cw.example.org/fhir";

	private static final Set<String> TYPES = Set.of("Patient", "Observation", "Binary");

	private static final List<String> ALLOWED = List.of("https://ehr.example.org/export/");

	@Test
	void aKickOffNamesItsSourceAndFiles() {
		Parameters parameters = kickOff("https://EHR.example.org/fhir/");
		input(parameters, "Patient", "Binary/17");
		input(parameters, "Observation", BASE + "/Binary/abc-1");
		input(parameters, null, "https://EHR.example.org:443/export/Observation.ndjson");
		ImportRequest request = ImportRequest.of(parameters, BASE, TYPES, ALLOWED);
		assertThat(request.source()).matches("ehr-example-org-fhir-[0-9a-f]{8}")
			.isEqualTo(ImportRequest.sourceName("https://ehr.example.org/fhir"))
			.isNotEqualTo(ImportRequest.sourceName("https://ehr-example.org/fhir"));
		assertThat(request.inputs()).containsExactly(new ImportRequest.Input("Patient", "Binary/17"),
				new ImportRequest.Input("Observation", "Binary/abc-1"),
				new ImportRequest.Input(null, "https://EHR.example.org:443/export/Observation.ndjson"));
		assertThat(request.inputs().get(1).binaryId()).isEqualTo("abc-1");
		assertThat(request.inputs().get(2).binaryId()).isNull();
		assertThat(ImportRequest.inputs(request.inputsJson())).isEqualTo(request.inputs());
	}

	@Test
	void onlyAllowedLocationsAreFetched() {
		for (String url : List.of("http://169.254.169.254/latest/meta-data", "https://ehr.example.org/exported.ndjson",
				"https://ehr.example.org.evil.example/export/x.ndjson", "https://ehr.example.org/export/../secret",
				"file:///etc/passwd", "https://user@ehr.example.org/export/x", "Binary/../Patient/1",
				"https://ehr.example.org/export/%2e%2e/admin", "https://ehr.example.org/export/%2E./admin",
				"https://ehr.example.org/export/..;/admin", "https://ehr.example.org/export/a%2fb",
				"https://ehr.example.org:8443/export/x.ndjson", "http://ehr.example.org/export/x.ndjson",
				"https://ehr.example.org/export/x.ndjson#f", "https://ehr.example.org/export/./x.ndjson")) {
			Parameters parameters = kickOff("https://ehr.example.org");
			input(parameters, "Patient", url);
			assertThatThrownBy(() -> ImportRequest.of(parameters, BASE, TYPES, ALLOWED)).as(url)
				.isInstanceOfSatisfying(CrosswalkException.class,
						(ex) -> assertThat(ex.error().code()).isEqualTo("CW-IMPORT-006"));
		}
	}

	@Test
	void aKickOffThatDoesNotSayWhatToImportIsRefused() {
		assertRefused(kickOff("https://ehr.example.org"), "at least one input");
		assertRefused(new Parameters(), "inputSource is required");
		Parameters csv = kickOff("https://ehr.example.org");
		csv.getParameterFirstRep().setValue(new CodeType("text/csv"));
		input(csv, "Patient", "Binary/1");
		assertRefused(csv, "text/csv");
		Parameters unknownType = kickOff("https://ehr.example.org");
		input(unknownType, "Patients", "Binary/1");
		assertRefused(unknownType, "not a FHIR resource type");
		Parameters noUrl = kickOff("https://ehr.example.org");
		noUrl.addParameter().setName("input").addPart().setName("type").setValue(new CodeType("Patient"));
		assertRefused(noUrl, "has no url");
		Parameters credentials = kickOff("https://ehr.example.org");
		input(credentials, "Patient", "Binary/1");
		credentials.addParameter()
			.setName("storageDetail")
			.addPart()
			.setName("credentialHttpBasic")
			.setValue(new StringType("u:p"));
		assertRefused(credentials, "credentialHttpBasic is not supported");
		Parameters unknown = kickOff("https://ehr.example.org");
		unknown.addParameter("mode", "fast");
		assertRefused(unknown, "Unknown parameter 'mode'");
		Parameters noName = kickOff("://");
		input(noName, "Patient", "Binary/1");
		assertRefused(noName, "names no system");
		assertRefused(null, "Parameters");
	}

	@Test
	void aSourceNameIsShortPlainAndItsOriginsOwn() {
		assertThat(ImportRequest.sourceName("urn:oid:1.2.3")).matches("urn-oid-1-2-3-[0-9a-f]{8}");
		String longer = ImportRequest.sourceName("https://" + "a".repeat(100) + "/x");
		assertThat(longer).hasSize(63).matches("[a-z0-9][a-z0-9-]*");
		assertThat(longer).isNotEqualTo(ImportRequest.sourceName("https://" + "a".repeat(100) + "/y"));
		assertThat(ImportRequest.sourceName("https://EHR.example.org/fhir/"))
			.isEqualTo(ImportRequest.sourceName("http://ehr.example.org/fhir"));
	}

	private static void assertRefused(Parameters parameters, String message) {
		assertThatThrownBy(() -> ImportRequest.of(parameters, BASE, TYPES, ALLOWED))
			.isInstanceOfSatisfying(CrosswalkException.class,
					(ex) -> assertThat(ex.error().code()).isEqualTo("CW-IMPORT-002"))
			.hasMessageContaining(message);
	}

	private static Parameters kickOff(String origin) {
		Parameters parameters = new Parameters();
		parameters.addParameter("inputFormat", new CodeType(ImportRequest.NDJSON));
		parameters.addParameter("inputSource", new UriType(origin));
		return parameters;
	}

	private static void input(Parameters parameters, String type, String url) {
		Parameters.ParametersParameterComponent input = parameters.addParameter().setName("input");
		if (type != null) {
			input.addPart().setName("type").setValue(new CodeType(type));
		}
		input.addPart().setName("url").setValue(new UriType(url));
	}

}
