package health.crosswalk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheaFeedTest {

	private static final List<String> HOSPITALS = List.of("h1", "h2", "h3");

	@Test
	void warmupPatientsFollowTheMeasuredOnesAndOverlapAsInAFullFeed(@TempDir Path dir) throws IOException {
		SyntheaFeed feed = feed(dir, 12);
		List<SyntheaFeed.Delivery> measured = feed.deliveries(HOSPITALS, 5, 3);
		List<SyntheaFeed.Delivery> warmup = feed.deliveries(HOSPITALS, 5, 3, 8);
		List<SyntheaFeed.Delivery> both = new ArrayList<>(measured);
		both.addAll(warmup);
		assertThat(both).isEqualTo(feed.deliveries(HOSPITALS, 5, 8));
		assertThat(measured).extracting((delivery) -> name(delivery) + "@" + delivery.hospital())
			.containsExactly("p00@h1", "p00@h2", "p01@h2", "p02@h3");
		assertThat(warmup).extracting((delivery) -> name(delivery) + "@" + delivery.hospital())
			.containsExactly("p03@h1", "p04@h2", "p05@h3", "p05@h1", "p06@h1", "p07@h2");
	}

	@Test
	void deliveriesStopAtTheLastPatient(@TempDir Path dir) throws IOException {
		SyntheaFeed feed = feed(dir, 4);
		assertThat(feed.deliveries(HOSPITALS, 0, 3, 10)).extracting(SyntheaFeedTest::name).containsExactly("p03");
		assertThat(feed.deliveries(HOSPITALS, 0, 4, 10)).isEmpty();
	}

	private static SyntheaFeed feed(Path dir, int patients) throws IOException {
		Path fhir = Files.createDirectories(dir.resolve("fhir"));
		Files.writeString(fhir.resolve("hospitalInformation1.json"), "{}");
		for (int i = 0; i < patients; i++) {
			Files.writeString(fhir.resolve(String.format("p%02d.json", i)), "{}");
		}
		return new SyntheaFeed(FhirContext.forR4Cached(), dir);
	}

	private static String name(SyntheaFeed.Delivery delivery) {
		return delivery.file().getFileName().toString().replace(".json", "");
	}

}
