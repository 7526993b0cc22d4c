package health.crosswalk.profiles;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Primitive values as the core validator judges them. */
class PrimitivesTest {

	@ParameterizedTest(name = "{0} {1} valid: {2}")
	@CsvSource(delimiter = '|',
			value = { "date|2024-02-29|true", "date|2023-02-29|false", "date|2024-13|false",
					"dateTime|2024-05-01T10:00:00Z|true", "dateTime|2024-05-01T10:00:00|false",
					"dateTime|2024-05-01T10:00:00.123+02:00|true", "instant|2024-05-01|false",
					"instant|2024-05-01T10:00:00Z|true", "time|10:00:00|true", "time|10:00:00.5|false",
					"decimal|0.5|true", "decimal|01.5|false", "decimal|+1|false", "integer|2147483647|true",
					"integer|2147483648|false", "positiveInt|0|false", "unsignedInt|0|true", "boolean|True|false",
					"code|vital-signs|true", "code|' padded'|false", "code|two  spaces|false", "id|abc-1.2|true",
					"id|a_b|false", "uri|http://loinc.org|true", "uri|http://a b|false", "uri|oid:1.2.3|false",
					"uri|urn:oid:2.16.840.1.113883.6.238|true", "uri|urn:oid:1.2.3|false",
					"uri|urn:uuid:0A1b2c3d-0000-0000-0000-000000000000|false", "canonical|relative/path|false",
					"canonical|#local|true", "base64Binary|aGVsbG8=|true", "base64Binary|aGVsbG8|false",
					"string|' '|false", "xhtml|<div/>|false" })
	void judgesLikeTheValidator(String type, String text, boolean valid) {
		assertThat(Primitives.valid(type, text)).isEqualTo(valid);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource({ "http://loinc.org,true", "http://snomed.info/sct,true", "urn:oid:2.16.840.1.113883.6.238,true",
			"https://bluebutton.cms.gov/resources/codesystem/adjudication,true", "http://loinc.org/,false",
			"http://hl7.org/fhir/sid/us-npi,false", "http://hl7.org/fhir/sid/cvx,true",
			"http://build.fhir.org/cs,false", "relative,false" })
	void knowsWhichUnknownSystemsTheValidatorTakes(String system, boolean taken) {
		assertThat(Primitives.unvalidatedSystem(system)).isEqualTo(taken);
	}

}
