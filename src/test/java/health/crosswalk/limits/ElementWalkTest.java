package health.crosswalk.limits;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.ProfileExamples;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElementWalkTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	@Test
	void seesWhatHapiSeesInTheProfilesExamples() {
		for (IBaseResource example : ProfileExamples.parsed(FHIR)) {
			assertSame(FHIR, example);
		}
	}

	/**
	 * Extensions on primitives, empty ones, contained resources, a resource held by a
	 * reference (not walked) and a bundle's entries (walked).
	 */
	@Test
	void seesWhatHapiSeesInABuiltResource() {
		Patient patient = new Patient();
		patient.setId("p");
		DateType birthDate = new DateType("1970-01-01");
		birthDate.addExtension(new Extension("urn:precision", new StringType("day")));
		birthDate.addExtension(new Extension("urn:empty"));
		patient.setBirthDateElement(birthDate);
		HumanName name = new HumanName().setFamily("Doe");
		name.addGivenElement().addExtension(new Extension("urn:absent-reason", new StringType("masked")));
		name.addGiven("");
		patient.addName(name);
		patient.addIdentifier(new Identifier().setAssigner(new Reference()));
		Extension nested = new Extension("urn:nested");
		nested.addExtension(new Extension("urn:inner", new BooleanType(true)));
		patient.addExtension(nested);
		patient.getModifierExtension().add(new Extension("urn:modifier", new StringType("m")));
		Organization contained = new Organization().setName("contained");
		contained.setId("#org");
		patient.addContained(contained);
		patient.setManagingOrganization(new Reference("#org"));
		patient.addGeneralPractitioner(new Reference(new Organization().setName("held, not walked")));

		List<String> seen = assertSame(FHIR, patient);
		assertThat(seen)
			.contains("Patient.birthDate.extension.valueString", "Patient.name.given.extension.url",
					"Patient.extension.extension.valueBoolean", "Patient.modifierExtension.valueString")
			.doesNotContain("Patient.identifier", "Patient.identifier.assigner", "Patient.generalPractitioner.name");
		assertThat(seen).filteredOn("Patient.contained(Organization)"::equals).hasSize(2);

		Observation observation = new Observation();
		observation.setValue(new Quantity().setValue(72.5).setUnit("/min"));
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		bundle.addEntry().setResource(observation).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
		bundle.addEntry().setResource(patient);
		assertThat(assertSame(FHIR, bundle)).contains("Bundle.entry.resource(Observation).valueQuantity.value",
				"Bundle.entry.resource(Patient).name.given.extension.valueString");
	}

	/**
	 * Asserts both walks see the same elements in the same order with the same paths.
	 * @return the paths seen
	 */
	static List<String> assertSame(FhirContext context, IBaseResource resource) {
		List<String> lean = new ArrayList<>();
		new ElementWalk(context).walk(resource,
				(element, elements, children) -> lean.add(seen(element, elements, children)));
		List<String> hapi = new ArrayList<>();
		ElementWalk.hapi(context.newTerser(), resource,
				(element, elements, children) -> hapi.add(seen(element, elements, children)));
		assertThat(lean).as(resource.fhirType()).isNotEmpty().isEqualTo(hapi);
		return lean.stream().map((line) -> line.substring(line.indexOf(' ') + 1)).toList();
	}

	private static String seen(IBase element, List<IBase> elements, List<BaseRuntimeChildDefinition> children) {
		assertThat(elements.get(elements.size() - 1)).isSameAs(element);
		return System.identityHashCode(element) + "/" + elements.size() + "/" + children.size() + " "
				+ ResourceLimits.path(elements, children);
	}

}
