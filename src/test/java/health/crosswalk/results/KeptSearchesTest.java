package health.crosswalk.results;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.param.CompositeParam;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.HasParam;
import ca.uhn.fhir.rest.param.QuantityParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.TokenParamModifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only counts that depend on the rows of their own partition and type are kept.
 */
class KeptSearchesTest {

	private static final RequestPartitionId HOSPITAL = RequestPartitionId.fromPartitionId(7);

	@Test
	void aCountOfItsOwnRowsIsKeptUnderItsPartitionTypeAndQuery() {
		SearchParameterMap search = count();
		search.add("code", new TokenParam("http://loinc.org", "8867-4"));
		search.add("date", new DateParam("ge2000-01-01"));
		search.add("subject", new ReferenceParam("Patient/abc"));
		search.add("value-quantity", new QuantityParam("gt5"));
		search.add("_id", new TokenParam("xyz"));
		ResultCache.Key key = KeptSearches.key("Observation", HOSPITAL, search);
		assertThat(key).isNotNull();
		assertThat(key.partitionId()).isEqualTo(7);
		assertThat(key.resourceType()).isEqualTo("Observation");
		assertThat(key.query()).contains("code=http%3A//loinc.org%7C8867-4").contains("date=ge2000-01-01");

		ReferenceParam byIdentifier = new ReferenceParam();
		byIdentifier.setValueAsQueryToken(FhirContext.forR4Cached(), "subject", ":identifier", "http://x|1");
		assertThat(KeptSearches.key("Observation", HOSPITAL, with("subject", byIdentifier))).isNotNull();
		ReferenceParam typed = new ReferenceParam();
		typed.setValueAsQueryToken(FhirContext.forR4Cached(), "subject", ":Patient", "abc");
		assertThat(KeptSearches.key("Observation", HOSPITAL, with("subject", typed))).isNotNull();
		ReferenceParam chained = new ReferenceParam();
		chained.setValueAsQueryToken(FhirContext.forR4Cached(), "subject", ":Patient.name", "Smith");
		assertThat(KeptSearches.key("Observation", HOSPITAL, with("subject", chained))).isNull();
	}

	@Test
	void aSearchThatIsNotACountIsLeftToHapi() {
		SearchParameterMap search = new SearchParameterMap();
		search.add("code", new TokenParam("a", "b"));
		assertThat(KeptSearches.key("Observation", HOSPITAL, search)).isNull();
	}

	@Test
	void countsThatDependOnOtherRowsOrPartitionsAreNotKept() {
		assertThat(KeptSearches.key("Observation", HOSPITAL, with("subject", new ReferenceParam("name", "Smith"))))
			.as("a chain")
			.isNull();
		assertThat(KeptSearches.key("Patient", HOSPITAL,
				with("_has", new HasParam("Observation", "subject", "code", "x"))))
			.as("_has")
			.isNull();
		assertThat(KeptSearches.key("Observation", HOSPITAL,
				with("code", new TokenParam(null, "http://vs").setModifier(TokenParamModifier.IN))))
			.as(":in")
			.isNull();
		assertThat(KeptSearches.key("Observation", HOSPITAL, with("_tag", new TokenParam("s", "t")))).as("_tag")
			.isNull();
		assertThat(KeptSearches.key("Observation", HOSPITAL,
				with("code-value-quantity", new CompositeParam<>(new TokenParam("a", "b"), new QuantityParam("5")))))
			.as("a composite")
			.isNull();
		SearchParameterMap plain = with("code", new TokenParam("a", "b"));
		assertThat(KeptSearches.key("Observation", RequestPartitionId.allPartitions(), plain)).isNull();
		assertThat(KeptSearches.key("Observation", RequestPartitionId.fromPartitionIds(7, 8), plain)).isNull();
		assertThat(KeptSearches.key("Observation", RequestPartitionId.defaultPartition(), plain)).isNull();
		assertThat(KeptSearches.key(null, HOSPITAL, plain)).isNull();
		SearchParameterMap everything = with("code", new TokenParam("a", "b"));
		everything.setEverythingMode(SearchParameterMap.EverythingModeEnum.PATIENT_INSTANCE);
		assertThat(KeptSearches.key("Patient", HOSPITAL, everything)).isNull();
	}

	@Test
	void differentSearchesHaveDifferentKeys() {
		ResultCache.Key family = KeptSearches.key("Patient", HOSPITAL, with("family", new StringParam("Smith")));
		ResultCache.Key exact = KeptSearches.key("Patient", HOSPITAL,
				with("family", new StringParam("Smith").setExact(true)));
		ResultCache.Key elsewhere = KeptSearches.key("Patient", RequestPartitionId.fromPartitionId(8),
				with("family", new StringParam("Smith")));
		assertThat(family).isNotEqualTo(exact).isNotEqualTo(elsewhere);
		assertThat(family).isEqualTo(KeptSearches.key("Patient", HOSPITAL, with("family", new StringParam("Smith"))));
	}

	@Test
	void aPageIsKeptUnderItsSortOffsetAndCountButNotWhenItsSortIsAChain() {
		SearchParameterMap search = page(new SortSpec("date", SortOrderEnum.DESC));
		ResultCache.Key first = KeptSearches.pageKey("Observation", HOSPITAL, search, null);
		assertThat(first).isNotNull();
		assertThat(first.query()).contains("_sort=-date").contains("_count=20").contains("_offset=0");
		assertThat(KeptSearches.key("Observation", HOSPITAL, search)).as("not a count").isNull();

		SearchParameterMap next = page(new SortSpec("date", SortOrderEnum.DESC));
		next.setOffset(20);
		assertThat(KeptSearches.pageKey("Observation", HOSPITAL, next, null)).isNotEqualTo(first);
		assertThat(KeptSearches.pageKey("Observation", HOSPITAL, search, 100)).as("HAPI reads fewer")
			.isNotEqualTo(first);
		assertThat(KeptSearches.pageKey("Observation", HOSPITAL, page(new SortSpec("_lastUpdated")), null)).isNotNull();
		assertThat(KeptSearches.pageKey("Observation", HOSPITAL, page(new SortSpec("patient.name")), null))
			.as("a chained sort")
			.isNull();
		assertThat(KeptSearches.pageKey("Observation", HOSPITAL, page(new SortSpec("_score")), null)).isNull();
		SearchParameterMap chained = page(null);
		chained.add("subject", new ReferenceParam("name", "Smith"));
		assertThat(KeptSearches.pageKey("Observation", HOSPITAL, chained, null)).as("a chain").isNull();
		assertThat(KeptSearches.pageKey("Observation", RequestPartitionId.allPartitions(), page(null), null)).isNull();
		assertThat(KeptSearches.pageKey("Observation", HOSPITAL, with("code", new TokenParam("a", "b")), null))
			.as("a count")
			.isNull();
	}

	private static SearchParameterMap page(SortSpec sort) {
		SearchParameterMap search = new SearchParameterMap();
		search.add("code", new TokenParam("http://loinc.org", "8867-4"));
		search.setSort(sort);
		search.setOffset(0);
		search.setCount(20);
		return search;
	}

	private static SearchParameterMap count() {
		SearchParameterMap search = new SearchParameterMap();
		search.setSummaryMode(SummaryEnum.COUNT);
		return search;
	}

	private static SearchParameterMap with(String name, ca.uhn.fhir.model.api.IQueryParameterType value) {
		SearchParameterMap search = count();
		search.add(name, value);
		return search;
	}

}
