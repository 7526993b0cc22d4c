package health.crosswalk.storage;

import java.util.List;
import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SearchParameterSubsetTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final SearchParameterSubset core = SearchParameterSubset.of(FHIR, SearchParameterSubset.CORE);

	@Test
	void theCoreListsDropOnlyWhatTheyLeaveOut() {
		assertThat(this.core.dropped().get("Observation")).containsExactlyInAnyOrder("combo-code",
				"combo-code-value-concept", "combo-code-value-quantity", "combo-data-absent-reason",
				"combo-value-concept", "combo-value-quantity", "component-data-absent-reason", "data-absent-reason",
				"method");
		assertThat(this.core.dropped().get("Patient")).containsExactly("phonetic");
		assertThat(this.core.dropped()).as("types not listed keep every parameter")
			.doesNotContainKeys("Condition", "Encounter", "Resource");
		assertThat(this.core.dropped().get("DocumentReference")).as("except composites HAPI cannot search")
			.containsExactly("relationship");
		assertThat(this.core.dropped().get("MolecularSequence")).containsExactlyInAnyOrder(
				"chromosome-variant-coordinate", "chromosome-window-coordinate", "referenceseqid-variant-coordinate",
				"referenceseqid-window-coordinate");
	}

	@Test
	void referencesAndSharedParametersAreNeverDropped() {
		SearchParameterSubset bare = SearchParameterSubset.of(FHIR, Map.of("observation", List.of()));
		assertThat(bare.dropped().get("Observation")).contains("code", "value-quantity", "status")
			.doesNotContain("patient", "subject", "encounter", "has-member", "_id", "_lastUpdated", "_tag", "_profile");
	}

	@Test
	void aDefinitionSharedWithOtherTypesKeepsThemAndOneOfItsOwnIsRetired() {
		SearchParameter phonetic = override("http://hl7.org/fhir/SearchParameter/individual-phonetic");
		assertThat(phonetic.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
		assertThat(phonetic.getBase()).extracting(CodeType::getCode)
			.containsExactlyInAnyOrder("Person", "RelatedPerson");
		assertThat(override("http://hl7.org/fhir/SearchParameter/Observation-combo-code").getStatus())
			.isEqualTo(PublicationStatus.RETIRED);
		assertThat(this.core.overrides()).extracting(SearchParameter::getUrl)
			.doesNotContain("http://hl7.org/fhir/SearchParameter/clinical-code",
					"http://hl7.org/fhir/SearchParameter/clinical-patient");
	}

	@Test
	void namesThatAreNotInTheSpecificationAreRefusedAtStart() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SearchParameterSubset.of(FHIR, Map.of("Observation", List.of("code", "colour"))))
			.withMessageContaining("'colour', which is not a search parameter of Observation");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SearchParameterSubset.of(FHIR, Map.of("Observatoin", List.of("code"))))
			.withMessageContaining("'Observatoin', which is not a FHIR R4 resource type");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> SearchParameterSubset.of(FHIR, Map.of("Observation", List.of("code", "code-value-quantity"))))
			.withMessageContaining("'code-value-quantity', a composite of parameters it does not name");
	}

	@Test
	void noneOverridesNothing() {
		assertThat(SearchParameterSubset.none().overrides()).isEmpty();
		assertThat(SearchParameterSubset.none().dropped()).isEmpty();
	}

	private SearchParameter override(String url) {
		return this.core.overrides().stream().filter((p) -> p.getUrl().equals(url)).findFirst().orElseThrow();
	}

}
