package health.crosswalk.migration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.migration.SourceRecords.SourceRecord;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A MediChat users collection, as mongoexport writes it, mapped to FHIR records.
 */
class MediChatMappingTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	@TempDir
	Path directory;

	@Test
	void patientsBringTheirAllergiesMedicationsAndHistoryAndOtherAccountsAreSkipped() throws Exception {
		Path export = Files.writeString(this.directory.resolve("users.json"),
				"""
						{"_id":{"$oid":"650f1a"},"role":"patient","firstName":"Amina","lastName":"Otieno","password":"$2b$x",\
						"gender":"F","dateOfBirth":{"$date":"1961-04-12T00:00:00.000Z"},\
						"allergies":[{"allergen":"Penicillin","severity":"severe","reaction":"Hives"},"Peanuts",{"severity":"mild"}],\
						"currentMedications":[{"name":"Amlodipine","dosage":"5 mg","frequency":"daily","startDate":"2024-01-10"}],\
						"medicalHistory":[{"condition":"Hypertension","icd10":"I10","diagnosedDate":"2019-05-01","status":"active"},\
						{"condition":"Asthma","diagnosedDate":"last spring"}]}
						{"_id":{"$oid":"650f1b"},"role":"doctor","firstName":"Joseph","lastName":"Kamau"}
						""",
				StandardCharsets.UTF_8);

		MappedStore store = new MediChatMapping(FHIR, ZoneId.of("UTC"), "urn:mrn")
			.map(MediChatMapping.documents(export));

		assertThat(store.rows()).containsEntry("users", 2);
		List<SourceRecord> records = store.records().get("users");
		assertThat(records).extracting(SourceRecord::fullUrl)
			.containsExactly("users/650f1a", "users/650f1a/allergies/1", "users/650f1a/allergies/2",
					"users/650f1a/allergies/3", "users/650f1a/medications/1", "users/650f1a/history/1",
					"users/650f1a/history/2", "users/650f1b");
		Patient patient = FHIR.newJsonParser().parseResource(Patient.class, records.get(0).json());
		assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1961-04-12");
		assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("650f1a");
		assertThat(records.get(0).json()).doesNotContain("$2b$");
		AllergyIntolerance penicillin = FHIR.newJsonParser()
			.parseResource(AllergyIntolerance.class, records.get(1).json());
		assertThat(penicillin.getCriticality()).isEqualTo(AllergyIntolerance.AllergyIntoleranceCriticality.HIGH);
		assertThat(penicillin.getReactionFirstRep().getManifestationFirstRep().getText()).isEqualTo("Hives");
		assertThat(records.get(3).problem()).contains("no allergen");
		MedicationStatement amlodipine = FHIR.newJsonParser()
			.parseResource(MedicationStatement.class, records.get(4).json());
		assertThat(amlodipine.getDosageFirstRep().getText()).isEqualTo("5 mg, daily");
		Condition hypertension = FHIR.newJsonParser().parseResource(Condition.class, records.get(5).json());
		assertThat(hypertension.getCode().getCodingFirstRep().getCode()).isEqualTo("I10");
		assertThat(records.get(6).problem()).contains("diagnosedDate 'last spring' is not a date");
		assertThat(records.get(7).skipped()).isTrue();
	}

}
