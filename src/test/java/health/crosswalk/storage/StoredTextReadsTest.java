package health.crosswalk.storage;

import java.util.List;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IBaseInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a stored text's elements after its meta begin, and which hooks keep reads from
 * being answered with their stored text ({@link StoredTextReads}).
 */
class StoredTextReadsTest {

	@Test
	void theElementsAfterTheResourceTypeBeginAtTheirComma() {
		String text = "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}";
		assertThat(text.substring(StoredTextReads.rest(text, "Basic"))).isEqualTo(",\"code\":{\"text\":\"x\"}}");
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Basic\"}", "Basic")).isEqualTo(23);
	}

	@Test
	void aStoredMetaIsSkippedWhateverItsStringsHold() {
		String meta = "{\"extension\":[{\"url\":\"http://x/}\",\"valueString\":\"\\\"}]{\"}],"
				+ "\"tag\":[{\"code\":\"{\"}]}";
		String text = "{\"resourceType\":\"Basic\",\"meta\":" + meta + ",\"code\":{\"text\":\"x\"}}";
		assertThat(text.substring(StoredTextReads.rest(text, "Basic"))).isEqualTo(",\"code\":{\"text\":\"x\"}}");
		String onlyMeta = "{\"resourceType\":\"Basic\",\"meta\":" + meta + "}";
		assertThat(onlyMeta.substring(StoredTextReads.rest(onlyMeta, "Basic"))).isEqualTo("}");
	}

	@Test
	void textNotShapedAsHapiStoresAResourceIsRefused() {
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Observation\",\"status\":\"final\"}", "Basic"))
			.isEqualTo(-1);
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Basic\",\"meta\":{\"tag\":[}", "Basic")).isEqualTo(-1);
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Basic\",\"meta\":{]", "Basic")).isEqualTo(-1);
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Basic\" ,\"code\":{}}", "Basic")).isEqualTo(-1);
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Basic\"} ", "Basic")).isEqualTo(-1);
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Basic\"", "Basic")).isEqualTo(-1);
		assertThat(StoredTextReads.rest("{\"resourceType\":\"Basic\",\"id\":\"1\",\"code\":{}}", "Basic"))
			.isEqualTo(-1);
	}

	@Test
	void aHookThatSeesResourcesShownAndIsNotKnownKeepsReadsFromTheirText() {
		InterceptorService rest = new InterceptorService();
		InterceptorService storage = new InterceptorService();
		List<IBaseInterceptorService<?>> services = List.of(rest, storage);
		rest.registerInterceptor(new Unrelated());
		assertThat(StoredTextReads.unknownHooks(services)).isEmpty();

		storage.registerInterceptor(new Showing());
		assertThat(StoredTextReads.unknownHooks(services)).containsExactly(Showing.class.getName());
	}

	@Test
	void everyPointcutAtWhichAResourceShownCanChangeIsWatched() {
		for (Pointcut pointcut : Pointcut.values()) {
			boolean seesResource = pointcut.getParameterTypes()
				.stream()
				.anyMatch(
						(type) -> type.contains("IPreResourceShowDetails") || type.contains("IPreResourceAccessDetails")
								|| type.contains("ResponseDetails") || type.equals("java.io.Writer"));
			assertThat(!seesResource || StoredTextReads.SHOWING.contains(pointcut)).as(pointcut.name()).isTrue();
		}
	}

	static final class Unrelated {

		@Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
		void completed() {
		}

	}

	static final class Showing {

		@Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
		void showing(IPreResourceShowDetails details) {
		}

	}

}
