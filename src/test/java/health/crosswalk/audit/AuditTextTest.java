package health.crosswalk.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every kind of record the server writes, deflated with the dictionary the migration
 * stores, comes back as it was and takes a fraction of its size; a stored text that was
 * changed, cut or made with another dictionary is refused, never read as something else.
 */
class AuditTextTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final byte[] DICTIONARY = migrationDictionary();

	private static final HospitalDirectory HOSPITALS = new HospitalDirectory() {

		@Override
		public Optional<HospitalRef> findBySlug(String slug) {
			return Optional.of(new HospitalRef(slug, 3, true, "5d1c3a0e-61b4-4cfb-a1b2-0c7f5e9d2a41"));
		}

		@Override
		public Optional<String> ownerOfIdentifierSystem(String system) {
			return Optional.empty();
		}

	};

	private final AuditEventFactory factory = new AuditEventFactory(FHIR, "crosswalk@ward-7", "10.0.0.5", HOSPITALS);

	@ParameterizedTest
	@EnumSource(AuditEventConformanceTest.Interaction.class)
	void everyKindOfRecordComesBackAsItWasInAFifthOfItsSize(AuditEventConformanceTest.Interaction interaction) {
		for (int status : new int[] { 200, 403 }) {
			String json = json(interaction, status);
			byte[] deflated = AuditText.deflate(json.getBytes(StandardCharsets.UTF_8), DICTIONARY);
			assertThat(AuditText.inflate(deflated, DICTIONARY)).isEqualTo(json);
			assertThat(deflated.length)
				.as("%s, %d: %d bytes of %d", interaction, status, deflated.length, json.length())
				.isLessThan(json.length() / 5);
		}
	}

	@Test
	void aChangedCutOrLengthenedTextOrAnotherDictionaryIsRefused() {
		String json = json(AuditEventConformanceTest.Interaction.CREATE_PATIENT, 201);
		byte[] deflated = AuditText.deflate(json.getBytes(StandardCharsets.UTF_8), DICTIONARY);
		byte[] otherDictionary = Arrays.copyOf(DICTIONARY, DICTIONARY.length - 1);
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.inflate(deflated, otherDictionary));
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.inflate(Arrays.copyOf(deflated, deflated.length - 3), DICTIONARY));
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.inflate(Arrays.copyOf(deflated, deflated.length + 1), DICTIONARY));
		int refused = 0;
		for (int i = 0; i < deflated.length; i++) {
			byte[] changed = deflated.clone();
			changed[i] ^= 0x10;
			try {
				// A bit deflate does not use (padding) may change nothing; any other
				// change is caught, by the stream's checksum if not before.
				assertThat(AuditText.inflate(changed, DICTIONARY)).as("byte %d changed", i).isEqualTo(json);
			}
			catch (AuditText.UnreadableRecordException ex) {
				refused++;
			}
		}
		assertThat(refused).isGreaterThan(deflated.length - 3);
	}

	private String json(AuditEventConformanceTest.Interaction interaction, int status) {
		CrosswalkPrincipal principal = new CrosswalkPrincipal("k7f3q9z2m1x8c4v6", Role.HOSPITAL_SYSTEM,
				new HospitalRef("st-mary", 2, true, "0b6e1f7a-3c2d-4e5f-8a9b-1c2d3e4f5a6b"), null, "api-key");
		List<AuditRow> rows = this.factory.rows(
				AuditEventConformanceTest.facts(interaction, principal, status, "Zq81LmA0pX3rT6uY"),
				1_700_000_000_000L);
		return rows.get(0).resource();
	}

	private static byte[] migrationDictionary() {
		try (InputStream in = AuditTextTest.class
			.getResourceAsStream("/db/crosswalk/V22__deflate_audit_resource.sql")) {
			Matcher dictionary = Pattern.compile("\\$dictionary\\$(.*?)\\$dictionary\\$", Pattern.DOTALL)
				.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			assertThat(dictionary.find()).isTrue();
			return dictionary.group(1).getBytes(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
