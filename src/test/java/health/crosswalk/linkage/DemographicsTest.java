package health.crosswalk.linkage;

import java.time.LocalDate;
import java.util.Set;

import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemographicsTest {

	@Test
	void normalisesNamesPhonesAndTrustedIdentifiers() {
		Patient patient = new Patient();
		patient.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily("Núñez-O'Brien").addGiven("José");
		patient.addName().setUse(HumanName.NameUse.MAIDEN).setFamily("García");
		patient.setBirthDateElement(new DateType("1984-03-12"));
		patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+1 (617) 555-0142");
		patient.addIdentifier().setSystem("urn:ssn").setValue(" 123 ");
		patient.addIdentifier().setSystem("urn:mrn").setValue("9");

		Demographics demographics = Demographics.of(patient, Set.of("urn:ssn"));

		assertThat(demographics.family()).containsExactly("nunezobrien", "garcia");
		assertThat(demographics.given()).containsExactly("jose");
		assertThat(demographics.birthDate()).isEqualTo(LocalDate.of(1984, 3, 12));
		assertThat(demographics.phone()).isEqualTo("6175550142");
		assertThat(demographics.trustedIdentifiers()).containsExactly("urn:ssn|123");
	}

	@Test
	void aPartialBirthDateCountsAsMissing() {
		Patient yearOnly = new Patient();
		yearOnly.setBirthDateElement(new DateType("1984"));
		Patient yearMonth = new Patient();
		yearMonth.setBirthDateElement(new DateType("1984-03"));

		assertThat(Demographics.of(yearOnly, Set.of()).birthDate()).isNull();
		assertThat(Demographics.of(yearMonth, Set.of()).birthDate()).isNull();
		assertThat(Matcher.blockingKeys(Demographics.of(yearOnly, Set.of()))).isEmpty();
	}

	@Test
	void aBirthDateThatIsNoDateCountsAsMissing() {
		assertThat(Demographics.birthDate("1980-02-30")).isNull();
		assertThat(Demographics.birthDate("1980-13-01")).isNull();
		assertThat(Demographics.birthDate("1980-02-29T10:00:00Z")).isNull();
		assertThat(Demographics.birthDate("1984-02-29")).isEqualTo(LocalDate.of(1984, 2, 29));
	}

}
