package health.crosswalk.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;

import ca.uhn.fhir.context.FhirContext;
import com.github.luben.zstd.Zstd;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every kind of record the server writes, compressed with the dictionary the migration
 * stores, comes back as it was and takes a fraction of its size; a stored text that was
 * changed, cut or made with another dictionary is refused, never read as something else.
 * Records stored as zlib streams, as servers before zstd wrote them, are read the same
 * way.
 */
class AuditTextTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final byte[] DICTIONARY = migrationDictionary();

	private static final AuditText.Dictionary PREPARED = new AuditText.Dictionary(DICTIONARY);

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
			byte[] stored = AuditText.compress(json.getBytes(StandardCharsets.UTF_8), PREPARED);
			assertThat(stored).startsWith(0x28, 0xB5, 0x2F, 0xFD);
			assertThat(AuditText.expand(stored, PREPARED)).isEqualTo(json);
			assertThat(stored.length).as("%s, %d: %d bytes of %d", interaction, status, stored.length, json.length())
				.isLessThan(json.length() / 5);
		}
	}

	@ParameterizedTest
	@EnumSource(AuditEventConformanceTest.Interaction.class)
	void everyKindOfRecordStoredAsAZlibStreamIsRead(AuditEventConformanceTest.Interaction interaction) {
		for (int status : new int[] { 200, 403 }) {
			String json = json(interaction, status);
			byte[] stored = zlib(json.getBytes(StandardCharsets.UTF_8), DICTIONARY);
			assertThat(stored[0]).isEqualTo((byte) 0x78);
			assertThat(AuditText.expand(stored, PREPARED)).isEqualTo(json);
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void aChangedCutOrLengthenedTextOrAnotherDictionaryIsRefused(boolean zstd) {
		String json = json(AuditEventConformanceTest.Interaction.CREATE_PATIENT, 201);
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		byte[] stored = zstd ? AuditText.compress(bytes, PREPARED) : zlib(bytes, DICTIONARY);
		AuditText.Dictionary other = new AuditText.Dictionary(Arrays.copyOf(DICTIONARY, DICTIONARY.length - 1));
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.expand(stored, other));
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.expand(Arrays.copyOf(stored, stored.length - 3), PREPARED));
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.expand(Arrays.copyOf(stored, stored.length + 1), PREPARED));
		int refused = 0;
		for (int i = 0; i < stored.length; i++) {
			byte[] changed = stored.clone();
			changed[i] ^= 0x10;
			try {
				// A bit the decoder does not use (padding, a table's spare bits) may
				// change nothing; any other change is caught, by the checksum of the
				// text if not before.
				assertThat(AuditText.expand(changed, PREPARED)).as("byte %d changed", i).isEqualTo(json);
			}
			catch (AuditText.UnreadableRecordException ex) {
				refused++;
			}
		}
		// How many go unused varies with the record, its time and ids: a build once
		// found 3 of 217 bytes whose flip changed nothing.
		assertThat(refused).isGreaterThanOrEqualTo(stored.length * 9 / 10);
	}

	@Test
	void aStoredTextThatWouldExpandBeyondTheLimitIsRefusedBeforeItIsExpanded() {
		byte[] huge = new byte[AuditText.MAX_TEXT_BYTES + 1];
		Arrays.fill(huge, (byte) ' ');
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> AuditText.compress(huge, PREPARED));
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.expand(zlib(huge, DICTIONARY), PREPARED))
			.withMessageContaining("expands beyond");
		byte[] small = AuditText.compress("{}".getBytes(StandardCharsets.UTF_8), PREPARED);
		assertThat(AuditText.expand(small, PREPARED)).isEqualTo("{}");
		// The frame's content size (one byte after the header's descriptor) said to be
		// 2 GiB - 16 instead of 2, in four bytes: refused from the header, before a
		// buffer of that size is asked for.
		assertThat(small[4] & 0xE3).as("single segment, one byte of content size, no dictionary id").isEqualTo(0x20);
		byte[] lying = new byte[small.length + 3];
		System.arraycopy(small, 0, lying, 0, 4);
		lying[4] = (byte) (small[4] | 0x80);
		byte[] size = { (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F };
		System.arraycopy(size, 0, lying, 5, 4);
		System.arraycopy(small, 6, lying, 9, small.length - 6);
		assertThat(Zstd.getFrameContentSize(lying)).isEqualTo(Integer.MAX_VALUE - 15);
		assertThatExceptionOfType(AuditText.UnreadableRecordException.class)
			.isThrownBy(() -> AuditText.expand(lying, PREPARED))
			.withMessageContaining("size is unknown or over");
	}

	/**
	 * A text as the zlib stream servers before zstd stored (level 9, the dictionary
	 * preset).
	 * @param input the text
	 * @param dictionary the dictionary
	 * @return the stream
	 */
	static byte[] zlib(byte[] input, byte[] dictionary) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
		try {
			deflater.setDictionary(dictionary);
			deflater.setInput(input);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 4 + 64);
			byte[] buffer = new byte[4096];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
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
