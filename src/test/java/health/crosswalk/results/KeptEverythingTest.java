package health.crosswalk.results;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProvider;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's {@code $everything} is given the search HAPI stored for it until a write to
 * its partition commits.
 */
class KeptEverythingTest {

	private static final RequestPartitionId HOSPITAL = RequestPartitionId.fromPartitionId(7);

	private final ResultCache cache = new ResultCache(100);

	private final List<String> registered = new ArrayList<>();

	private final List<String> reused = new ArrayList<>();

	private RequestPartitionId partition = HOSPITAL;

	private final ISearchCoordinatorSvc<?> coordinator = KeptEverything.wrap(hapi(), this.cache,
			new KeptEverything.StoredSearches() {
				@Override
				public RequestPartitionId partition(RequestDetails request, String resourceType,
						SearchParameterMap search) {
					return KeptEverythingTest.this.partition;
				}

				@Override
				public IBundleProvider provider(RequestDetails request, String uuid) {
					KeptEverythingTest.this.reused.add(uuid);
					return new PersistedJpaBundleProvider(request, uuid);
				}
			});

	@Test
	void aStoredEverythingIsGivenAgainUntilItsPartitionIsWritten() {
		this.cache.listening(true);
		String first = everything("a", client());
		assertThat(everything("a", client())).isEqualTo(first);
		assertThat(this.registered).containsExactly(first);
		assertThat(this.reused).containsExactly(first);

		assertThat(everything("b", client())).as("another patient").isNotEqualTo(first);
		this.cache.changed(List.of(ResultCache.scope(8, "Observation")));
		assertThat(everything("a", client())).as("after another partition's write").isEqualTo(first);

		this.cache.changed(List.of(ResultCache.scope(7, "Observation")));
		String after = everything("a", client());
		assertThat(after).as("after a write of any type to its partition").isNotEqualTo(first);
		assertThat(everything("a", client())).isEqualTo(after);
	}

	@Test
	void everythingIsRunWhereItMayNotBeKept() {
		this.cache.listening(true);
		String first = everything("a", client());
		assertThat(everything("a", new SystemRequestDetails())).as("the server's own").isNotEqualTo(first);
		assertThat(register(everythingOf("a"), new CacheControlDirective().setNoCache(true), client())).as("no-cache")
			.isNotEqualTo(first);
		SearchParameterMap byOffset = everythingOf("a");
		byOffset.setOffset(0);
		assertThat(register(byOffset, null, client())).as("by offset").isNotEqualTo(first);
		this.partition = RequestPartitionId.allPartitions();
		assertThat(everything("a", client())).as("all partitions").isNotEqualTo(first);
		this.partition = HOSPITAL;
		SearchParameterMap plain = new SearchParameterMap();
		plain.add("_id", new TokenParam("a"));
		String search = register(plain, null, client());
		assertThat(register(plain, null, client())).as("not $everything").isNotEqualTo(search);
		this.cache.listening(false);
		assertThat(everything("a", client())).as("not listening").isNotEqualTo(first);
		assertThat(this.reused).isEmpty();
	}

	@Test
	void aStoredSearchThatRacedAWriteIsNotGivenAgain() {
		this.cache.listening(true);
		ISearchCoordinatorSvc<?> racing = KeptEverything
			.wrap((ISearchCoordinatorSvc<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { ISearchCoordinatorSvc.class }, (proxy, method, args) -> {
						this.cache.changed(List.of(ResultCache.scope(7, "Encounter")));
						return new PersistedJpaBundleProvider((RequestDetails) args[4], "raced");
					}), this.cache, new KeptEverything.StoredSearches() {
						@Override
						public RequestPartitionId partition(RequestDetails request, String resourceType,
								SearchParameterMap search) {
							return HOSPITAL;
						}

						@Override
						public IBundleProvider provider(RequestDetails request, String uuid) {
							throw new AssertionError("reused " + uuid);
						}
					});
		racing.registerSearch(null, everythingOf("a"), "Patient", null, client());
		racing.registerSearch(null, everythingOf("a"), "Patient", null, client());
	}

	private String everything(String patient, RequestDetails request) {
		return register(everythingOf(patient), null, request);
	}

	private String register(SearchParameterMap search, CacheControlDirective cacheControl, RequestDetails request) {
		return this.coordinator.registerSearch(null, search, "Patient", cacheControl, request).getUuid();
	}

	private static SearchParameterMap everythingOf(String patient) {
		SearchParameterMap search = new SearchParameterMap();
		search.setEverythingMode(SearchParameterMap.EverythingModeEnum.PATIENT_INSTANCE);
		search.add("_id", new TokenParam(patient));
		search.setCount(20);
		return search;
	}

	private static RequestDetails client() {
		return new ServletRequestDetails();
	}

	/** HAPI's coordinator: each search registered is stored under a new id. */
	private ISearchCoordinatorSvc<?> hapi() {
		return (ISearchCoordinatorSvc<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ISearchCoordinatorSvc.class }, (proxy, method, args) -> {
					String uuid = "search-" + this.registered.size();
					this.registered.add(uuid);
					return new PersistedJpaBundleProvider((RequestDetails) args[4], uuid);
				});
	}

}
