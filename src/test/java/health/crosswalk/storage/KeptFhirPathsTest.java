package health.crosswalk.storage;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import ca.uhn.fhir.rest.server.util.FhirContextSearchParamRegistry;
import health.crosswalk.ProfileExamples;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extractor with kept FHIRPath expressions and type definitions
 * ({@link KeptFhirPaths}) indexes every example of {@code fhir-profiles/} and a set of
 * core resources exactly as HAPI's extractor does ({@link #assertSameIndexes}, held over
 * a Synthea feed by {@code ExtractionDifferentialIT}), and its worker context asks HAPI's
 * once for each core type definition.
 */
class KeptFhirPathsTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private static final Pattern IDENTITY = Pattern.compile("@[0-9a-f]+\\[");

	@Test
	void everyExampleAndCoreResourceIsIndexedAsByHapi() throws IOException {
		List<IBaseResource> resources = new ArrayList<>(coreResources());
		for (Path file : ProfileExamples.files()) {
			resources.add(FHIR.newJsonParser().parseResource(Files.readString(file)));
		}
		ISearchParamExtractor hapi = hapis();
		KeptFhirPaths kept = kept();
		int indexed = 0;
		for (IBaseResource resource : resources) {
			indexed += assertSameIndexes(hapi, kept, resource);
		}
		assertThat(indexed).as("index entries compared").isGreaterThan(100);
		assertThat(kept.keptExpressions()).as("expressions evaluated by the kept engine").isGreaterThan(50);
	}

	@Test
	void coreTypeDefinitionsAreAskedForOnceAndOthersEveryTime() {
		AtomicInteger asked = new AtomicInteger();
		StructureDefinition observation = new StructureDefinition().setUrl(KeptFhirPaths.CORE + "Observation")
			.setType("Observation");
		StructureDefinition custom = new StructureDefinition().setUrl("http://example.org/StructureDefinition/x");
		IWorkerContext worker = (IWorkerContext) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { IWorkerContext.class }, (proxy, method, args) -> {
					asked.incrementAndGet();
					String name = (String) args[args.length == 1 ? 0 : 1];
					return name.contains("Observation") ? observation
							: name.startsWith("http://example") ? custom : null;
				});
		IWorkerContext kept = KeptFhirPaths.keptDefinitions(worker);

		for (int i = 0; i < 3; i++) {
			assertThat(kept.fetchTypeDefinition("Observation")).isSameAs(observation);
			assertThat(kept.fetchResource(StructureDefinition.class, KeptFhirPaths.CORE + "Observation"))
				.isSameAs(observation);
			assertThat(kept.fetchResource(StructureDefinition.class, KeptFhirPaths.CORE + "Observation", observation))
				.isSameAs(observation);
		}
		assertThat(asked).as("once by type, once by URL").hasValue(2);
		assertThat(kept.fetchResource(StructureDefinition.class, null, observation)).as("the base of Resource")
			.isNull();
		assertThat(asked).as("no URL: not asked").hasValue(2);

		for (int i = 0; i < 3; i++) {
			assertThat(kept.fetchResource(StructureDefinition.class, "http://example/x")).isSameAs(custom);
			assertThat(kept.fetchTypeDefinition("Unknown")).isNull();
		}
		assertThat(asked).as("outside the core namespace, and not found: every time").hasValue(8);
	}

	@Test
	void expressionsThatNeedHapisHostServicesAreLeftToHapisEngine() {
		KeptFhirPaths kept = kept();
		Observation observation = new Observation().setSubject(new Reference("Patient/p1"));
		// HAPI's engine evaluates it: its host services resolve a reference to a stub.
		assertThat(kept.getPathValueExtractor(observation, "Observation.subject.where(resolve() is Patient)").get())
			.hasSize(1);
		assertThat(kept.getPathValueExtractor(observation, "Observation.subject.where(resolve() is Group)").get())
			.isEmpty();
		assertThat(kept.getPathValueExtractor(observation, "Observation.subject").get()).hasSize(1);
	}

	static SearchParamExtractorR4 hapis() {
		return new SearchParamExtractorR4(new JpaStorageSettings(), new PartitionSettings(), FHIR,
				new FhirContextSearchParamRegistry(FHIR));
	}

	static KeptFhirPaths kept() {
		return new KeptFhirPaths(new JpaStorageSettings(), new PartitionSettings(), FHIR,
				new FhirContextSearchParamRegistry(FHIR));
	}

	/**
	 * Asserts that two extractors give a resource the same index entries of every kind.
	 * @return how many entries were compared
	 */
	static int assertSameIndexes(ISearchParamExtractor hapi, ISearchParamExtractor kept, IBaseResource resource) {
		Map<String, Function<ISearchParamExtractor, Collection<?>>> kinds = new LinkedHashMap<>();
		kinds.put("tokens", (extractor) -> extractor.extractSearchParamTokens(resource));
		kinds.put("strings", (extractor) -> extractor.extractSearchParamStrings(resource));
		kinds.put("dates", (extractor) -> extractor.extractSearchParamDates(resource));
		kinds.put("numbers", (extractor) -> extractor.extractSearchParamNumber(resource));
		kinds.put("quantities", (extractor) -> extractor.extractSearchParamQuantity(resource));
		kinds.put("normalized quantities", (extractor) -> extractor.extractSearchParamQuantityNormalized(resource));
		kinds.put("uris", (extractor) -> extractor.extractSearchParamUri(resource));
		kinds.put("composites", (extractor) -> extractor.extractSearchParamComposites(resource));
		kinds.put("specials",
				(extractor) -> extractor.extractSearchParamSpecial(resource, ISearchParamExtractor.ALL_PARAMS));
		kinds.put("links", (extractor) -> extractor.extractResourceLinks(resource, false));
		int compared = 0;
		for (Map.Entry<String, Function<ISearchParamExtractor, Collection<?>>> kind : kinds.entrySet()) {
			List<String> expected = described(kind.getValue().apply(hapi));
			assertThat(described(kind.getValue().apply(kept)))
				.as("%s of %s/%s", kind.getKey(), resource.fhirType(), resource.getIdElement().getIdPart())
				.isEqualTo(expected);
			compared += expected.size();
		}
		return compared;
	}

	/**
	 * The entries' descriptions, sorted, without their objects' identity hashes.
	 */
	private static List<String> described(Collection<?> entries) {
		return entries.stream()
			.map((entry) -> IDENTITY.matcher(String.valueOf(entry)).replaceFirst("["))
			.sorted()
			.toList();
	}

	private static List<IBaseResource> coreResources() {
		Reference patient = new Reference("Patient/p1");
		Patient person = new Patient();
		person.setId("p1");
		person.addIdentifier().setSystem("urn:oid:1.2.3").setValue("MRN-1");
		person.addName().setFamily("Okafor").addGiven("Ada");
		person.setGender(AdministrativeGender.FEMALE).setBirthDateElement(new DateType("1970-01-02"));
		person.addAddress().setCity("Leeds").setPostalCode("LS1");
		person.addTelecom().setValue("+44 113 000").setSystem(ContactPointSystem.PHONE);

		Observation pressure = new Observation();
		pressure.setId("o1");
		pressure.setStatus(Observation.ObservationStatus.FINAL)
			.setCode(new CodeableConcept(new Coding("http://loinc.org", "85354-9", "Blood pressure")))
			.setSubject(patient)
			.setEffective(new DateTimeType(new Date(1_700_000_000_000L)));
		pressure.addCategory(new CodeableConcept(
				new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", null)));
		pressure.addComponent()
			.setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", null)))
			.setValue(new Quantity().setValue(120)
				.setUnit("mm[Hg]")
				.setSystem("http://unitsofmeasure.org")
				.setCode("mm[Hg]"));
		Observation weight = new Observation();
		weight.setId("o2");
		weight.setStatus(Observation.ObservationStatus.FINAL)
			.setCode(new CodeableConcept(new Coding("http://loinc.org", "29463-7", null)))
			.setSubject(patient)
			.setValue(new Quantity().setValue(70.5).setUnit("kg").setSystem("http://unitsofmeasure.org").setCode("kg"));

		MedicationRequest prescription = new MedicationRequest();
		prescription.setId("m1");
		prescription.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
			.setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
			.setMedication(
					new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "197361", null)))
			.setSubject(patient)
			.setAuthoredOnElement(new DateTimeType("2024-03-01T10:00:00Z"));

		Appointment visit = new Appointment();
		visit.setId("a1");
		visit.setStatus(Appointment.AppointmentStatus.BOOKED)
			.setStart(new Date(1_700_000_000_000L))
			.setEnd(new Date(1_700_001_800_000L));
		visit.addParticipant().setActor(patient).setStatus(Appointment.ParticipationStatus.ACCEPTED);
		visit.addParticipant().setActor(new Reference("Practitioner/d1"));
		return List.of(person, pressure, weight, prescription, visit);
	}

}
