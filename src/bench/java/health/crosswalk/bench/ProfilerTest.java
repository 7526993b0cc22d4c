package health.crosswalk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ProfilerTest {

	@Test
	void sharesCountEachSampleOncePerPartAndSkipFilters(@TempDir Path dir) throws IOException {
		Path collapsed = dir.resolve("ingest.collapsed");
		Files.writeString(collapsed, String.join("\n",
				"java/lang/Thread.run;health/crosswalk/audit/AuditFilter.doFilterInternal;"
						+ "ca/uhn/fhir/jpa/dao/BaseHapiFhirResourceDao.create;"
						+ "org/hl7/fhir/validation/instance/InstanceValidator.validate;"
						+ "org/hl7/fhir/validation/instance/InstanceValidator.checkPrimitive 60",
				"java/lang/Thread.run;health/crosswalk/audit/AuditFilter.doFilterInternal;"
						+ "health/crosswalk/audit/GroupCommit.run;org/postgresql/core/v3/QueryExecutorImpl.execute 30",
				"G1ParScanThreadState::trim_queue_to_threshold 10", ""));
		Profiler.Profile profile = Profiler.Profile.read("ingest", "cpu", collapsed, dir.resolve("ingest.html"));
		assertThat(profile.samples()).isEqualTo(100);
		assertThat(profile.topFrames().get(0))
			.isEqualTo(new Profiler.Share("org/hl7/fhir/validation/instance/InstanceValidator.checkPrimitive", 0.6));
		assertThat(profile.parts()).contains(new Profiler.Share("profile validation", 0.6),
				new Profiler.Share("HAPI JPA (DAOs, search, indexing)", 0.6), new Profiler.Share("audit", 0.3),
				new Profiler.Share("JDBC (pgjdbc)", 0.3), new Profiler.Share("garbage collection", 0.1));
		assertThat(Profiler.Profile.partNames()).contains("profile validation", "audit", "linkage");
	}

}
