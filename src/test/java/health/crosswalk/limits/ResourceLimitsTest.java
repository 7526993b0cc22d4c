package health.crosswalk.limits;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResourceLimitsTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final ResourceLimits limits = new ResourceLimits(FHIR, 2048, 64, 1000, (reference) -> {
	});

	@ParameterizedTest
	@ValueSource(strings = { "0", "0.0", "-0.001", "1", "-12.5", "1E+3", "6.02E+23", "1.5E-7", "0E+5", "0E-3",
			"123456789.123456789", "-1E-30" })
	void plainLengthIsThatOfThePlainString(String text) {
		BigDecimal decimal = new BigDecimal(text);
		assertThat(ResourceLimits.plainLength(decimal)).isEqualTo(decimal.toPlainString().length());
	}

	@Test
	void plainLengthOfHugeExponentsIsComputedWithoutWritingThem() {
		assertThat(ResourceLimits.plainLength(new BigDecimal("1e-999999"))).isEqualTo(1_000_001);
		assertThat(ResourceLimits.plainLength(new BigDecimal("-1e999999"))).isEqualTo(1_000_001);
	}

	@ParameterizedTest
	@ValueSource(strings = { "1e-999999", "1e999999", "1e64",
			"1.00000000000000000000000000000000000000000000000000000000000000001" })
	void refusesDecimalsThatCannotBeWrittenOutWithinTheLimit(String value) {
		Observation observation = observation(value);
		CrosswalkException refusal = catchThrowableOfType(() -> this.limits.check(observation),
				CrosswalkException.class);
		assertThat(refusal).isNotNull();
		OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-LIM-003");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Observation.valueQuantity.value")
			.contains("crosswalk.limits.max-decimal-length");
	}

	@Test
	void handsEachConditionalReferenceToItsCheck() {
		List<String> seen = new ArrayList<>();
		Observation observation = new Observation();
		observation.getSubject().setReference("Patient?identifier=a%7Cb");
		observation.addPerformer().setReference("Practitioner/1");
		observation.getEncounter().setReference("urn:uuid:5f2b7c1e-0000-4000-8000-000000000001");
		observation.getCode().setText("Why?");
		ResourceLimits limits = new ResourceLimits(FHIR, 2048, 64, 1000, seen::add);
		limits.check(observation);
		assertThat(seen).containsExactly("Patient?identifier=a%7Cb");
		seen.clear();
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		bundle.addEntry().setResource(observation);
		bundle.addEntry().setResource(new Patient().setManagingOrganization(new Reference("Organization?name=x")));
		limits.checkEntries(bundle);
		assertThat(seen).containsExactlyInAnyOrder("Patient?identifier=a%7Cb", "Organization?name=x");
		seen.clear();
		limits.check(observation);
		assertThat(seen).as("checked with its bundle, not again").isEmpty();
		Bundle refused = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		refused.addEntry().setResource(new Patient().setManagingOrganization(new Reference().setDisplay("\u0000")));
		assertThatExceptionOfType(BaseServerResponseException.class).isThrownBy(() -> limits.checkEntries(refused));
		// A batch's entries are checked one by one as each is stored.
		refused.setType(Bundle.BundleType.BATCH);
		assertThatNoException().isThrownBy(() -> limits.checkEntries(refused));
	}

	@Test
	void refusesAResourceWithMoreElementsThanTheLimit() {
		Patient within = new Patient();
		for (int i = 0; i < 300; i++) {
			within.addIdentifier().setSystem("urn:oid:1.2.3").setValue("v" + i);
		}
		assertThatNoException().isThrownBy(() -> this.limits.check(within));
		Patient beyond = new Patient();
		for (int i = 0; i < 400; i++) {
			beyond.addIdentifier().setSystem("urn:oid:1.2.3").setValue("v" + i);
		}
		assertThatExceptionOfType(BaseServerResponseException.class).isThrownBy(() -> this.limits.check(beyond))
			.satisfies((refusal) -> {
				assertThat(refusal.getStatusCode()).isEqualTo(413);
				assertThat(refusal.getMessage()).contains("crosswalk.limits.max-elements");
			});
	}

	@Test
	void acceptsOrdinaryValues() {
		assertThatNoException().isThrownBy(() -> this.limits.check(observation("72.5")));
		assertThatNoException().isThrownBy(() -> this.limits.check(observation("6.02e23")));
	}

	@Test
	void refusesLongStringsButNotAttachmentData() {
		Observation observation = observation("1");
		observation.getCode().setText("x".repeat(2049));
		CrosswalkException refusal = catchThrowableOfType(() -> this.limits.check(observation),
				CrosswalkException.class);
		assertThat(refusal).isNotNull();
		OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-LIM-002");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Observation.code.text").contains("2049");

		Observation control = observation("1");
		control.getCode().setText("heart\u0000rate");
		assertThat(code(() -> this.limits.check(control))).isEqualTo("CW-LIM-004");
		Observation surrogate = observation("1");
		surrogate.getCode().setText("heart \ud800 rate");
		assertThat(code(() -> this.limits.check(surrogate))).isEqualTo("CW-LIM-004");
		Observation fine = observation("1");
		fine.getCode().setText("Herzfrequenz \uD83D\uDC93\tin Ruhe\r\n");
		assertThatNoException().isThrownBy(() -> this.limits.check(fine));

		Binary binary = new Binary().setContentType("application/pdf").setData(new byte[64 * 1024]);
		assertThatNoException().isThrownBy(() -> this.limits.check(binary));
	}

	@Test
	void refusesDatesOfAPrecisionTheirTypeDoesNotAllow() {
		org.hl7.fhir.r4.model.Patient patient = (org.hl7.fhir.r4.model.Patient) FHIR.newJsonParser()
			.parseResource("{\"resourceType\":\"Patient\",\"birthDate\":\"1980-01-01T10:00:00Z\"}");
		assertThat(code(() -> this.limits.check(patient))).isEqualTo("CW-LIM-006");
		org.hl7.fhir.r4.model.Patient fine = (org.hl7.fhir.r4.model.Patient) FHIR.newJsonParser()
			.parseResource("{\"resourceType\":\"Patient\",\"birthDate\":\"1980-01\","
					+ "\"deceasedDateTime\":\"2020-02-03T04:05:06+01:00\"}");
		assertThatNoException().isThrownBy(() -> this.limits.check(fine));
	}

	private static String code(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		CrosswalkException refusal = catchThrowableOfType(call, CrosswalkException.class);
		assertThat(refusal).isNotNull();
		return ((OperationOutcome) refusal.getOperationOutcome()).getIssueFirstRep()
			.getDetails()
			.getCodingFirstRep()
			.getCode();
	}

	private static Observation observation(String value) {
		Observation observation = new Observation();
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
		observation.setValue(new Quantity().setValueElement(new org.hl7.fhir.r4.model.DecimalType(value)));
		return observation;
	}

}
