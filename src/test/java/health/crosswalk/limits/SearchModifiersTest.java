package health.crosswalk.limits;

import java.util.List;
import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SearchModifiersTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final SearchModifiers modifiers = new SearchModifiers((type, name) -> {
		RuntimeSearchParam parameter = FHIR.getResourceDefinition(type).getSearchParam(name);
		return (parameter != null) ? parameter.getParamType() : null;
	});

	@ParameterizedTest
	@CsvSource({ "Patient, name", "Patient, family:exact", "Patient, family:contains", "Patient, name:missing",
			"Patient, gender:not", "Patient, gender:text", "Observation, code:in", "Observation, code:not-in",
			"Observation, code:above", "Observation, code:below", "Patient, identifier:of-type",
			"Observation, subject:missing", "Observation, subject:identifier", "Observation, subject:Patient",
			"Observation, subject:Foo", "Observation, subject:Patient.name", "Observation, subject.name",
			"Observation, subject:Patient.name:exact", "Patient, _has:Observation:subject:code",
			"Patient, birthdate:missing", "Observation, value-quantity:missing", "ValueSet, url:below",
			"ValueSet, url:above", "Observation, code-value-quantity:missing", "Patient, unknown:whatever",
			"Patient, _count", "Patient, _include:iterate", "Patient, _format" })
	void admitsWhatFhirDefinesAndLeavesTheRestToHapi(String type, String name) {
		assertThat(this.modifiers.problem(type, name)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "Patient, name:bogus, string", "Patient, family:EXACT, string", "Patient, name:text, string",
			"Patient, birthdate:exact, date", "Observation, code:foo, token", "Observation, code:, token",
			"Observation, subject:text, reference", "Observation, subject:bogus, reference",
			"Observation, value-quantity:exact, quantity", "ValueSet, url:contains, uri",
			"Patient, name:Patient, string", "Observation, code-value-quantity:exact, composite" })
	void refusesModifiersFhirDoesNotDefineForTheType(String type, String name, String parameterType) {
		assertThat(this.modifiers.problem(type, name)).contains("'" + name + "'")
			.contains("a " + parameterType + " parameter");
	}

	@Test
	void refusesAModifierOtherThanATypeBeforeAChain() {
		assertThat(this.modifiers.problem("Observation", "subject:identifier.name")).contains("chained");
		assertThat(this.modifiers.problem("Observation", "subject:missing.name")).contains("chained");
	}

	@Test
	void refusalsAre400WithTheirCode() {
		BaseServerResponseException refusal = catchThrowableOfType(
				() -> this.modifiers.check("Patient", List.of("family", "name:bogus")),
				BaseServerResponseException.class);
		assertThat(refusal).isNotNull();
		assertThat(refusal.getStatusCode()).isEqualTo(400);
		OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-LIM-009");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("name:bogus")
			.contains(":exact")
			.contains(":contains");
	}

	@ParameterizedTest
	@CsvSource({ "Patient, birthdate:missing", "Patient, name:missing", "Observation, subject:missing",
			"Observation, value-quantity:missing", "Observation, code-value-quantity:missing" })
	void refusesMissingAsNotSupported(String type, String name) {
		BaseServerResponseException refusal = catchThrowableOfType(() -> this.modifiers.check(type, List.of(name)),
				BaseServerResponseException.class);
		assertThat(refusal).isNotNull();
		assertThat(refusal.getStatusCode()).isEqualTo(400);
		OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-LIM-012");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(name).contains(":missing");
		assertThatNoException().isThrownBy(() -> this.modifiers.check(type, List.of("unknown-parameter:missing")));
	}

	@ParameterizedTest
	@CsvSource({ "Observation, subject:Patient.name:missing", "Observation, subject.name:missing",
			"Observation, patient.organization.name:missing" })
	void refusesMissingAtTheEndOfAChain(String type, String name) {
		BaseServerResponseException refusal = catchThrowableOfType(() -> this.modifiers.check(type, List.of(name)),
				BaseServerResponseException.class);
		assertThat(refusal).isNotNull();
		assertThat(((OperationOutcome) refusal.getOperationOutcome()).getIssueFirstRep().getDiagnostics())
			.contains(name)
			.contains("end of its chain");
		assertThatNoException().isThrownBy(() -> this.modifiers.check(type, List.of("unknown.name:missing")));
		assertThatNoException().isThrownBy(() -> this.modifiers.check(type, List.of("subject:Patient.name")));
	}

	@Test
	void refusesANearValueOnlyWhereTheTypeSearchesByPosition() {
		BaseServerResponseException refusal = catchThrowableOfType(
				() -> this.modifiers.check("Location", Map.of("near", new String[] { "42|-71", "abc" })),
				BaseServerResponseException.class);
		assertThat(refusal).isNotNull();
		assertThat(refusal.getStatusCode()).isEqualTo(400);
		OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-LIM-013");
		assertThatNoException()
			.isThrownBy(() -> this.modifiers.check("Location", Map.of("near", new String[] { "42|-71|5|km" })));
		assertThatNoException()
			.isThrownBy(() -> this.modifiers.check("Patient", Map.of("near", new String[] { "abc" })));
		assertThat(catchThrowableOfType(
				() -> this.modifiers.check("Location",
						Map.of("_sort", new String[] { "name,-near" }, "_offset", new String[] { "0" })),
				BaseServerResponseException.class)
			.getStatusCode()).isEqualTo(400);
		assertThatNoException().isThrownBy(() -> this.modifiers.check("Location",
				Map.of("_sort", new String[] { "-near" }, "near", new String[] { "42|-71" })));
		assertThatNoException().isThrownBy(() -> this.modifiers.check("Location",
				Map.of("_sort", new String[] { "nearby" }, "_offset", new String[] { "0" })));
	}

	@Test
	void checksAConditionalCreatesCondition() {
		assertThat(conditionalCreate("Location", "Location?near=abc")).isEqualTo("CW-LIM-013");
		assertThat(conditionalCreate("Patient", "name:missing=true")).isEqualTo("CW-LIM-012");
		assertThat(conditionalCreate("Patient", "%%%")).as("HAPI's own 400").isNull();
		assertThat(conditionalCreate("Patient", "identifier=a%7Cb")).isNull();
	}

	private String conditionalCreate(String type, String condition) {
		SystemRequestDetails create = new SystemRequestDetails();
		create.setResourceName(type);
		create.addHeader("If-None-Exist", condition);
		BaseServerResponseException refusal = catchThrowableOfType(
				() -> this.modifiers.check(create, RestOperationTypeEnum.CREATE), BaseServerResponseException.class);
		return (refusal == null) ? null
				: ((OperationOutcome) refusal.getOperationOutcome()).getIssueFirstRep()
					.getDetails()
					.getCodingFirstRep()
					.getCode();
	}

	@Test
	void checksAConditionalReferenceLikeTheSearchItNames() {
		assertThatNoException().isThrownBy(() -> this.modifiers.checkConditionalReference("Patient?identifier=a%7Cb"));
		assertThatNoException().isThrownBy(() -> this.modifiers.checkConditionalReference("Patient/1"));
		assertThatNoException().isThrownBy(() -> this.modifiers.checkConditionalReference("http://x/y?z=%%"));
		for (String[] refused : new String[][] { { "Patient?name:missing=true", "CW-LIM-012" },
				{ "Location?near=abc", "CW-LIM-013" }, { "Patient?name:bogus=x", "CW-LIM-009" } }) {
			BaseServerResponseException refusal = catchThrowableOfType(
					() -> this.modifiers.checkConditionalReference(refused[0]), BaseServerResponseException.class);
			assertThat(refusal).as(refused[0]).isNotNull();
			OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
			assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo(refused[1]);
			assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.startsWith("The conditional reference '" + refused[0] + "': ");
		}
		assertThat(catchThrowableOfType(() -> this.modifiers.checkConditionalReference("Patient?name=%zz"),
				BaseServerResponseException.class)
			.getStatusCode()).isEqualTo(400);
	}

	@Test
	void refusesABundleEntryWhoseUrlCannotBeDecoded() {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
		bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient?name=x");
		bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient?name=%%%");
		BaseServerResponseException refusal = catchThrowableOfType(() -> this.modifiers.checkEntries(bundle),
				BaseServerResponseException.class);
		assertThat(refusal).isNotNull();
		assertThat(refusal.getStatusCode()).isEqualTo(400);
		assertThat(refusal.getMessage()).contains("Bundle.entry[1].request.url").contains("%25");
		Bundle condition = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		condition.addEntry().getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient").setIfNoneExist("name=%zz");
		assertThat(catchThrowableOfType(() -> this.modifiers.checkEntries(condition), BaseServerResponseException.class)
			.getMessage()).contains("Bundle.entry[0].request.ifNoneExist");
	}

	@Test
	void checksTheSearchesInsideABundlesEntries() {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient?name:exact=Doe");
		bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient").setIfNoneExist("family=Doe");
		assertThatNoException().isThrownBy(() -> this.modifiers.checkEntries(bundle));

		bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Patient?birthdate%3Amissing=true");
		BaseServerResponseException missing = catchThrowableOfType(() -> this.modifiers.checkEntries(bundle),
				BaseServerResponseException.class);
		assertThat(missing).isNotNull();
		OperationOutcome outcome = (OperationOutcome) missing.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CW-LIM-012");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("Bundle.entry[2].request: ");

		Bundle conditional = new Bundle().setType(Bundle.BundleType.BATCH);
		conditional.addEntry()
			.getRequest()
			.setMethod(Bundle.HTTPVerb.POST)
			.setUrl("Patient")
			.setIfNoneExist("Patient?name:bogus=x");
		assertThat(
				catchThrowableOfType(() -> this.modifiers.checkEntries(conditional), BaseServerResponseException.class)
					.getStatusCode())
			.isEqualTo(400);
	}

	@Test
	void checksSearchesAndConditionalWritesOnly() {
		SystemRequestDetails search = request("Patient", null, null, "name:bogus");
		assertThat(SearchModifiers.searchedType(search, RestOperationTypeEnum.SEARCH_TYPE)).isEqualTo("Patient");
		assertThatRefused(search, RestOperationTypeEnum.SEARCH_TYPE);
		SystemRequestDetails postSearch = request("Patient", null, "_search", "name:bogus");
		assertThatRefused(postSearch, RestOperationTypeEnum.SEARCH_TYPE);
		SystemRequestDetails compartment = request("Patient", new IdType("Patient", "1"), null, "code:foo");
		compartment.setCompartmentName("Observation");
		assertThat(SearchModifiers.searchedType(compartment, RestOperationTypeEnum.SEARCH_TYPE))
			.isEqualTo("Observation");
		for (RestOperationTypeEnum conditional : List.of(RestOperationTypeEnum.DELETE, RestOperationTypeEnum.UPDATE,
				RestOperationTypeEnum.PATCH)) {
			assertThatRefused(request("Patient", null, null, "name:bogus"), conditional);
			assertThat(SearchModifiers.searchedType(request("Patient", new IdType("Patient", "1"), null, "name:bogus"),
					conditional))
				.isNull();
		}
		SystemRequestDetails everything = request("Patient", new IdType("Patient", "1"), "$everything", "name:x");
		assertThat(SearchModifiers.searchedType(everything, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE))
			.isNull();
		assertThat(SearchModifiers.searchedType(request("Patient", new IdType("Patient", "1"), null, "name:x"),
				RestOperationTypeEnum.READ))
			.isNull();
		assertThatNoException().isThrownBy(() -> this.modifiers.check(request("Patient", null, null, "name:exact"),
				RestOperationTypeEnum.SEARCH_TYPE));
	}

	private void assertThatRefused(SystemRequestDetails request, RestOperationTypeEnum operation) {
		BaseServerResponseException refusal = catchThrowableOfType(() -> this.modifiers.check(request, operation),
				BaseServerResponseException.class);
		assertThat(refusal).as(operation.name()).isNotNull();
		assertThat(refusal.getStatusCode()).isEqualTo(400);
	}

	private static SystemRequestDetails request(String type, IdType id, String operation, String parameter) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setResourceName(type);
		request.setId(id);
		request.setOperation(operation);
		request.setParameters(Map.of(parameter, new String[] { "x" }));
		return request;
	}

}
