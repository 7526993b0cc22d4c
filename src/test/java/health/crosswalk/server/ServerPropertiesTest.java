package health.crosswalk.server;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServerPropertiesTest {

	@Test
	void baseUrlIsOptional() {
		assertThat(new ServerProperties(null, 20, 200, ServerProperties.Paging.OFFSET).hasBaseUrl()).isFalse();
		assertThat(new ServerProperties(URI.create("https://fhir.example.org/fhir"), 20, 200,
				ServerProperties.Paging.OFFSET)
			.hasBaseUrl()).isTrue();
	}

	@Test
	void baseUrlMustBeAbsoluteHttp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerProperties(URI.create("fhir.example.org/fhir"), 20, 200,
					ServerProperties.Paging.OFFSET))
			.withMessageContaining("CROSSWALK_SERVER_BASE_URL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerProperties(URI.create("ftp://fhir.example.org/fhir"), 20, 200,
					ServerProperties.Paging.OFFSET));
	}

	@Test
	void pageSizesMustBeConsistent() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerProperties(null, 0, 200, ServerProperties.Paging.OFFSET));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerProperties(null, 50, 20, ServerProperties.Paging.OFFSET))
			.withMessageContaining("max-page-size");
	}

}
