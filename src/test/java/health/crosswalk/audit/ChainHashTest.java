package health.crosswalk.audit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChainHashTest {

	private static final AuditRow ROW = new AuditRow(UUID.fromString("00000000-0000-0000-0000-000000000001"),
			1_800_000_000_000L, "general", "http://terminology.hl7.org/CodeSystem/audit-event-type|rest",
			List.of("read"), 'R', 0, "Patient/1", List.of("Organization/9"), List.of("Patient/1"), "crosswalk@a",
			"req-1", "{\"resourceType\":\"AuditEvent\"}");

	@Test
	void everyColumnChangesTheDigest() {
		byte[] digest = ChainHash.digest(ROW);
		assertThat(digest).hasSize(32).isEqualTo(ChainHash.digest(ROW));
		List<AuditRow> altered = List.of(
				new AuditRow(ROW.id(), ROW.recorded() + 1, ROW.hospital(), ROW.type(), ROW.subtypes(), ROW.action(),
						ROW.outcome(), ROW.patient(), ROW.agents(), ROW.entities(), ROW.source(), ROW.requestId(),
						ROW.resource()),
				new AuditRow(ROW.id(), ROW.recorded(), ROW.hospital(), ROW.type(), ROW.subtypes(), 'D', ROW.outcome(),
						ROW.patient(), ROW.agents(), ROW.entities(), ROW.source(), ROW.requestId(), ROW.resource()),
				new AuditRow(ROW.id(), ROW.recorded(), ROW.hospital(), ROW.type(), ROW.subtypes(), ROW.action(), 4,
						ROW.patient(), ROW.agents(), ROW.entities(), ROW.source(), ROW.requestId(), ROW.resource()),
				new AuditRow(ROW.id(), ROW.recorded(), ROW.hospital(), ROW.type(), ROW.subtypes(), ROW.action(),
						ROW.outcome(), null, ROW.agents(), ROW.entities(), ROW.source(), ROW.requestId(),
						ROW.resource()),
				new AuditRow(ROW.id(), ROW.recorded(), ROW.hospital(), ROW.type(), ROW.subtypes(), ROW.action(),
						ROW.outcome(), ROW.patient(), List.of(), ROW.entities(), ROW.source(), ROW.requestId(),
						ROW.resource()),
				new AuditRow(ROW.id(), ROW.recorded(), ROW.hospital(), ROW.type(), ROW.subtypes(), ROW.action(),
						ROW.outcome(), ROW.patient(), ROW.agents(), ROW.entities(), ROW.source(), ROW.requestId(),
						"{\"resourceType\":\"AuditEvent\" }"));
		for (AuditRow row : altered) {
			assertThat(ChainHash.digest(row)).isNotEqualTo(digest);
		}
	}

	@Test
	void listsAreNotAmbiguous() {
		AuditRow joined = new AuditRow(ROW.id(), ROW.recorded(), ROW.hospital(), ROW.type(), List.of("ab"),
				ROW.action(), ROW.outcome(), ROW.patient(), ROW.agents(), ROW.entities(), ROW.source(), ROW.requestId(),
				ROW.resource());
		AuditRow split = new AuditRow(ROW.id(), ROW.recorded(), ROW.hospital(), ROW.type(), List.of("a", "b"),
				ROW.action(), ROW.outcome(), ROW.patient(), ROW.agents(), ROW.entities(), ROW.source(), ROW.requestId(),
				ROW.resource());
		assertThat(ChainHash.digest(joined)).isNotEqualTo(ChainHash.digest(split));
	}

	@Test
	void linksDependOnPreviousPositionAndKey() {
		ChainHash plain = new ChainHash(null);
		ChainHash keyed = new ChainHash("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
		byte[] digest = ChainHash.digest(ROW);
		byte[] first = plain.link(ChainHash.SHA256, ChainHash.GENESIS, 1, digest);
		assertThat(plain.link(ChainHash.SHA256, ChainHash.GENESIS, 2, digest)).isNotEqualTo(first);
		assertThat(plain.link(ChainHash.SHA256, first, 1, digest)).isNotEqualTo(first);
		assertThat(keyed.algorithm()).isEqualTo(ChainHash.HMAC_SHA256);
		assertThat(keyed.link(ChainHash.HMAC_SHA256, ChainHash.GENESIS, 1, digest)).isNotEqualTo(first).hasSize(32);
		assertThat(plain.canVerify(ChainHash.HMAC_SHA256)).isFalse();
		assertThat(keyed.canVerify(ChainHash.HMAC_SHA256)).isTrue();
		assertThat(keyed.canVerify(ChainHash.SHA256)).isTrue();
	}

}
