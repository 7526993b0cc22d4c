package health.crosswalk.server;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.util.FhirContextSearchParamRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TypedReferencesTest {

	private final TypedReferences references = new TypedReferences(
			new FhirContextSearchParamRegistry(FhirContext.forR4Cached()), FhirContext.forR4Cached());

	@Test
	void aBareIdGetsTheOneTypeItsParameterTargets() {
		SearchParameterMap search = new SearchParameterMap();
		search.add("patient",
				new ReferenceOrListParam().addOr(new ReferenceParam("a1")).addOr(new ReferenceParam("Patient/a2")));
		search.add("patient", new ReferenceParam("a3"));
		search.add("code", new TokenParam("http://loinc.org", "8867-4"));

		this.references.type("Observation", search);

		assertThat(search.get("patient")).hasSize(2);
		assertThat(values(search.get("patient").get(0))).containsExactly("Patient/a1", "Patient/a2");
		assertThat(values(search.get("patient").get(1))).containsExactly("Patient/a3");
		assertThat(search.get("patient").get(0).get(0)).isInstanceOfSatisfying(ReferenceParam.class, (typed) -> {
			assertThat(typed.getResourceType()).isEqualTo("Patient");
			assertThat(typed.getIdPart()).isEqualTo("a1");
			assertThat(typed.hasChain()).isFalse();
		});
		assertThat(search.get("code").get(0).get(0)).isInstanceOf(TokenParam.class);
	}

	@Test
	void theTypeIsTheOneThePathOrItsElementAllows() {
		assertThat(typed("Appointment", "patient", "a1")).isEqualTo("Patient/a1");
		assertThat(typed("Appointment", "patient", "a2")).as("decided once, then remembered").isEqualTo("Patient/a2");
		assertThat(typed("MedicationRequest", "patient", "a1")).isEqualTo("Patient/a1");
		assertThat(typed("AllergyIntolerance", "patient", "a1")).isEqualTo("Patient/a1");
		assertThat(typed("Observation", "encounter", "e1")).isEqualTo("Encounter/e1");
		assertThat(typed("Appointment", "actor", "x1")).isEqualTo("x1");
		assertThat(typed("Provenance", "target", "x1")).isEqualTo("x1");
	}

	@Test
	void parametersOfSeveralTypesAndIdsThatAreNotBareAreLeftAsTheyAre() {
		ReferenceParam subject = new ReferenceParam("s1");
		ReferenceParam missing = new ReferenceParam("p0");
		missing.setMissing(true);
		List<ReferenceParam> notBare = List.of(missing, new ReferenceParam("name", "Smith"),
				new ReferenceParam("http://other.example/fhir/Patient/p1"),
				new ReferenceParam("urn:uuid:0b6e1f7a-3c2d-4e5f-8a9b-1c2d3e4f5a6b"),
				new ReferenceParam("Group", null, "g1"), new ReferenceParam("a b"));
		SearchParameterMap search = new SearchParameterMap();
		search.add("subject", subject);
		notBare.forEach((reference) -> search.add("patient", reference));

		this.references.type("Observation", search);

		assertThat(search.get("subject").get(0).get(0)).isSameAs(subject);
		for (int i = 0; i < notBare.size(); i++) {
			assertThat(search.get("patient").get(i).get(0)).isSameAs(notBare.get(i));
		}
	}

	@Test
	void unknownParametersAreLeftForHapiToRefuse() {
		ReferenceParam unknown = new ReferenceParam("a1");
		SearchParameterMap search = new SearchParameterMap();
		search.add("no-such-parameter", unknown);

		this.references.type("Observation", search);
		this.references.type(null, search);

		assertThat(search.get("no-such-parameter").get(0).get(0)).isSameAs(unknown);
	}

	private String typed(String resourceType, String name, String id) {
		SearchParameterMap search = new SearchParameterMap();
		search.add(name, new ReferenceParam(id));
		this.references.type(resourceType, search);
		return search.get(name).get(0).get(0).getValueAsQueryToken();
	}

	private static List<String> values(List<IQueryParameterType> or) {
		return or.stream().map(IQueryParameterType::getValueAsQueryToken).toList();
	}

}
