package health.crosswalk.storage;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import health.crosswalk.CrosswalkIntegrationTest;
import health.crosswalk.FhirHttp;
import health.crosswalk.hospital.TestHospitals;
import health.crosswalk.security.Role;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search-parameter subset: what is not indexed is neither advertised nor accepted,
 * and everything advertised can be searched.
 */
class SearchParametersIT extends CrosswalkIntegrationTest {

	/** Crosswalk's AuditEvent search checks its values (and says what it expects). */
	private static final Map<String, String> AUDIT_EVENT_VALUES = Map.of("AuditEvent.action", "R", "AuditEvent.outcome",
			"0", "AuditEvent.agent", "Organization/x", "AuditEvent.entity", "Patient/x");

	@Test
	void theCapabilityStatementAdvertisesWhatIsIndexed() {
		Map<String, List<String>> advertised = advertised();
		assertThat(advertised.get("Observation"))
			.contains("code", "patient", "subject", "value-quantity", "code-value-quantity", "component-code", "_id",
					"_lastUpdated", "_profile", "_tag")
			.doesNotContain("combo-code", "combo-value-quantity", "method", "data-absent-reason");
		assertThat(advertised.get("Patient")).contains("identifier", "family", "birthdate", "organization")
			.doesNotContain("phonetic");
		assertThat(advertised.get("Condition")).as("types without a list keep every parameter")
			.contains("code", "onset-date", "clinical-status", "patient");
		assertThat(advertised.get("DocumentReference")).as("but no composite of references: HAPI cannot search them")
			.contains("relatesto", "relation")
			.doesNotContain("relationship");
		assertThat(advertised.get("AuditEvent")).as("what Crosswalk's own AuditEvent provider answers")
			.containsExactlyInAnyOrder("date", "patient", "agent", "agent-name", "altid", "entity", "type", "subtype",
					"action", "outcome", "source", "request-id");
	}

	@Test
	void aParameterThatIsNotIndexedIsRefusedWithA400() {
		HttpResponse<String> response = new FhirHttp(serverUrl()).get("/fhir/Observation?combo-code=8867-4",
				hospital().key());
		FhirHttp.assertOutcome(response, 400, "CW-REQ-001");
		assertThat(response.body()).contains("combo-code");
	}

	@Test
	void everyAdvertisedParameterAnswersASearch() {
		FhirHttp http = new FhirHttp(serverUrl());
		String key = hospital().key();
		String auditor = TestHospitals.networkKey(context(), Role.AUDITOR);
		Map<String, SearchParameter> specification = specification();
		List<String> queries = new ArrayList<>();
		for (CapabilityStatementRestResourceComponent resource : capabilities().getRestFirstRep().getResource()) {
			for (CapabilityStatementRestResourceSearchParamComponent parameter : resource.getSearchParam()) {
				String name = parameter.getName();
				String value = sampleValue(parameter.getType(), parameter.getDefinition(), specification);
				if ("_has".equals(name)) {
					// _has:[type]:[reference]:[parameter];
					// Provenance.target may point at any type.
					name = "_has:Provenance:target:agent";
					value = "x";
				}
				value = AUDIT_EVENT_VALUES.getOrDefault(resource.getType() + "." + name, value);
				if (value != null) {
					queries.add("/fhir/" + resource.getType() + "?" + name + "="
							+ URLEncoder.encode(value, StandardCharsets.UTF_8) + "&_summary=count");
				}
			}
		}
		assertThat(queries).hasSizeGreaterThan(1000);
		Map<String, String> failures = new ConcurrentHashMap<>();
		queries.parallelStream().forEach((query) -> {
			HttpResponse<String> response = http.get(query, query.startsWith("/fhir/AuditEvent?") ? auditor : key);
			if (response.statusCode() != 200) {
				failures.put(query, response.statusCode() + " " + response.body());
			}
		});
		assertThat(failures).isEmpty();
	}

	private Map<String, List<String>> advertised() {
		return capabilities().getRestFirstRep()
			.getResource()
			.stream()
			.collect(Collectors.toMap(CapabilityStatementRestResourceComponent::getType,
					(resource) -> resource.getSearchParam()
						.stream()
						.map(CapabilityStatementRestResourceSearchParamComponent::getName)
						.toList()));
	}

	private CapabilityStatement capabilities() {
		return client().capabilities().ofType(CapabilityStatement.class).execute();
	}

	/**
	 * A well-formed value of the parameter's type; null for the one special parameter
	 * (Location's {@code near}), whose format is its own.
	 */
	private static String sampleValue(SearchParamType type, String definition,
			Map<String, SearchParameter> specification) {
		if (type == null) {
			return null;
		}
		return switch (type) {
			case NUMBER, QUANTITY -> "1";
			case DATE -> "2020-01-01";
			case STRING -> "x";
			case TOKEN -> "http://example.org|x";
			case REFERENCE -> "x";
			case URI -> "http://example.org/x";
			case COMPOSITE -> specification.get(definition)
				.getComponent()
				.stream()
				.map((component) -> sampleValue(specification.get(component.getDefinition()).getType(), null,
						specification))
				.collect(Collectors.joining("$"));
			default -> null;
		};
	}

	private static Map<String, SearchParameter> specification() {
		Bundle bundle = FHIR.newJsonParser()
			.parseResource(Bundle.class, SearchParametersIT.class.getClassLoader()
				.getResourceAsStream("org/hl7/fhir/r4/model/sp/search-parameters.json"));
		return bundle.getEntry()
			.stream()
			.map((entry) -> (SearchParameter) entry.getResource())
			.collect(Collectors.toMap(SearchParameter::getUrl, (parameter) -> parameter));
	}

}
