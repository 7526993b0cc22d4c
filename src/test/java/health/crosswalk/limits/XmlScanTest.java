package health.crosswalk.limits;

import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class XmlScanTest {

	@ParameterizedTest
	@ValueSource(ints = { 1, 5, 6, 100_000 })
	void boundsTheNestingOfElements(int depth) {
		String body = "<?xml version=\"1.0\"?>\n" + "<a x=\"1\">".repeat(depth) + "<b value=\"v\"/>"
				+ "</a>".repeat(depth);
		int found = XmlScan.firstTooDeep(bytes(body), 6);
		if (depth < 6) {
			assertThat(found).isEqualTo(-1);
		}
		else {
			// The self-closing element at level depth + 1 counts too.
			assertThat(found).isPositive();
			assertThat(body.substring(0, found).chars().filter((c) -> c == '<').count()).isEqualTo(7);
		}
	}

	@Test
	void countsOpenElementsNotTagsInAll() {
		String siblings = "<Bundle>" + "<entry><resource><x value=\"1\"/></resource></entry>".repeat(10_000)
				+ "</Bundle>";
		assertThat(XmlScan.firstTooDeep(bytes(siblings), 4)).isEqualTo(-1);
		assertThat(XmlScan.firstTooDeep(bytes(siblings), 3)).isPositive();
	}

	@ParameterizedTest
	@ValueSource(strings = { "<a><!-- <b><c><d><e> --></a>", "<a><![CDATA[<b><c><d><e>]]></a>",
			"<a t=\"<b>\" u='>'><?pi <b><c><d> ?></a>", "<!DOCTYPE a><a/>", "<a>&lt;b&gt;&lt;c&gt;</a>",
			"<a><b/><b/><b/><b/><b/></a>" })
	void readsOnlyElementsAsLevels(String body) {
		assertThat(XmlScan.firstTooDeep(bytes(body), 2)).isEqualTo(-1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "<a><b", "<a><!-- never closed", "<a b=\"never closed>", "</a></a></a><a><b/></a>" })
	void leavesMalformedXmlToTheParser(String body) {
		assertThat(XmlScan.firstTooDeep(bytes(body), 2)).isEqualTo(-1);
	}

	@Test
	void admitsAPatientWithItsNarrativeInATransaction() {
		Patient patient = new Patient();
		patient.addName().setFamily("Okafor").addGiven("Ada");
		patient.getText()
			.setStatus(Narrative.NarrativeStatus.GENERATED)
			.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><table><tbody><tr><td><ul><li><b>Ada"
					+ "</b></li></ul></td></tr></tbody></table></div>");
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		transaction.addEntry().setResource(patient).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		byte[] xml = bytes(FhirContext.forR4Cached().newXmlParser().encodeResourceToString(transaction));
		// Bundle, entry, resource, Patient, text, div, table, tbody, tr, td, ul, li, b.
		assertThat(XmlScan.firstTooDeep(xml, 13)).isEqualTo(-1);
		assertThat(XmlScan.firstTooDeep(xml, 12)).isPositive();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
