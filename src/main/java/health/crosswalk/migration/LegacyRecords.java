package health.crosswalk.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import health.crosswalk.migration.SourceRecords.SourceRecord;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR records a legacy store's mapping makes, table by table, with what the mappings
 * share: a record, a refusal or a skip per row (or per part of a row), the medical record
 * number and the gender codes.
 */
final class LegacyRecords {

	private final IParser json;

	private final Map<String, List<SourceRecord>> records = new LinkedHashMap<>();

	LegacyRecords(FhirContext fhir) {
		this.json = fhir.newJsonParser();
	}

	void add(String table, int position, String key, Resource resource) {
		of(table).add(new SourceRecord(table, position, key, this.json.encodeResourceToString(resource),
				resource.fhirType(), null, null));
	}

	/** A row, or part of one, refused for a defect. */
	void refuse(String table, int position, String key, String type, String reason) {
		of(table).add(new SourceRecord(table, position, key, null, type, null, reason, false));
	}

	/** A row left out by design. */
	void skip(String table, int position, String key, String type, String reason) {
		of(table).add(new SourceRecord(table, position, key, null, type, null, reason, true));
	}

	MappedStore store(Map<String, Integer> rows) {
		return new MappedStore(rows, this.records);
	}

	private List<SourceRecord> of(String table) {
		return this.records.computeIfAbsent(table, (name) -> new ArrayList<>());
	}

	/** A medical record number, typed as Crosswalk's Patient profile asks. */
	static Identifier mrn(String system, String value) {
		return new Identifier()
			.setType(new CodeableConcept(
					new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number")))
			.setSystem(system)
			.setValue(value);
	}

	static AdministrativeGender gender(String text) {
		if (text == null) {
			return null;
		}
		return switch (text.toLowerCase(Locale.ROOT)) {
			case "m", "male", "man" -> AdministrativeGender.MALE;
			case "f", "female", "woman" -> AdministrativeGender.FEMALE;
			case "other", "non-binary", "nonbinary", "x" -> AdministrativeGender.OTHER;
			default -> AdministrativeGender.UNKNOWN;
		};
	}

}
