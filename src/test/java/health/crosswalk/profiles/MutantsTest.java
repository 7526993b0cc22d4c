package health.crosswalk.profiles;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.ProfileExamples;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test's mutants are reproducible, leave the original alone, and reach
 * every kind of change.
 */
class MutantsTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final Mutants mutants = new Mutants(FHIR);

	@Test
	void aSeedAlwaysGivesTheSameMutantAndTheOriginalStaysAsItWas() throws IOException {
		for (IBaseResource example : examples()) {
			String before = FHIR.newJsonParser().encodeResourceToString(example);
			Mutants.Mutant first = this.mutants.of(example, 42);
			Mutants.Mutant second = this.mutants.of(example, 42);
			assertThat(first.changes()).isEqualTo(second.changes()).isNotEmpty();
			assertThat(encode(first.resource())).isEqualTo(encode(second.resource())).isNotEqualTo(before);
			assertThat(encode(example)).isEqualTo(before);
		}
	}

	@Test
	void theExamplesMutatedOftenEnoughMeetEveryKindOfChange() throws IOException {
		Set<Mutants.Kind> seen = EnumSet.noneOf(Mutants.Kind.class);
		List<IBaseResource> examples = examples();
		for (int seed = 0; seed < 40; seed++) {
			for (IBaseResource example : examples) {
				for (String change : this.mutants.of(example, seed).changes()) {
					seen.add(Mutants.Kind.valueOf(change.substring(0, change.indexOf(' '))));
				}
			}
		}
		assertThat(seen).containsExactlyInAnyOrder(Mutants.Kind.values());
	}

	private static String encode(IBaseResource resource) {
		return FHIR.newJsonParser().encodeResourceToString(resource);
	}

	private static List<IBaseResource> examples() {
		return ProfileExamples.parsed(FHIR);
	}

}
