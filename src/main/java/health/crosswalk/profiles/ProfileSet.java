package health.crosswalk.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Crosswalk's conformance resources, read from {@code fhir-profiles/} in the jar (no
 * network), with a snapshot generated for every StructureDefinition when loaded. A
 * profile whose snapshot cannot be generated, or misses an element its differential
 * constrains, stops the load.
 */
final class ProfileSet {

	static final String LOCATION = "classpath*:fhir-profiles/";

	static final String VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

	private final PrePopulatedValidationSupport support;

	private final Map<String, String> profileByType;

	private final List<StructureDefinition> structureDefinitions;

	private ProfileSet(PrePopulatedValidationSupport support, Map<String, String> profileByType,
			List<StructureDefinition> structureDefinitions) {
		this.support = support;
		this.profileByType = profileByType;
		this.structureDefinitions = structureDefinitions;
	}

	static ProfileSet load(FhirContext fhir) {
		List<StructureDefinition> differentials = new ArrayList<>();
		PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(fhir);
		for (IBaseResource resource : read(fhir, LOCATION + "*.json")) {
			if (resource instanceof StructureDefinition definition) {
				differentials.add(definition);
			}
			else if (resource instanceof ValueSet valueSet) {
				support.addValueSet(valueSet);
			}
			else if (resource instanceof CodeSystem codeSystem) {
				support.addCodeSystem(codeSystem);
			}
			else {
				throw new IllegalStateException("fhir-profiles holds a " + resource.fhirType()
						+ "; only StructureDefinition, ValueSet and CodeSystem belong there");
			}
		}
		differentials.forEach(support::addStructureDefinition);
		ValidationSupportChain snapshotChain = new ValidationSupportChain(support,
				new DefaultProfileValidationSupport(fhir));
		SnapshotGeneratingValidationSupport generator = new SnapshotGeneratingValidationSupport(fhir);
		Map<String, String> profileByType = new LinkedHashMap<>();
		List<StructureDefinition> withSnapshots = new ArrayList<>();
		for (StructureDefinition differential : differentials) {
			StructureDefinition snapshot = (StructureDefinition) generator.generateSnapshot(
					new ValidationSupportContext(snapshotChain), differential, differential.getUrl(), null,
					differential.getName());
			checkSnapshot(differential, snapshot);
			support.addStructureDefinition(snapshot);
			withSnapshots.add(snapshot);
			if (snapshot.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT
					&& profileByType.put(snapshot.getType(), snapshot.getUrl()) != null) {
				throw new IllegalStateException("fhir-profiles has two profiles for " + snapshot.getType());
			}
		}
		return new ProfileSet(support, profileByType, withSnapshots);
	}

	private static void checkSnapshot(StructureDefinition differential, StructureDefinition snapshot) {
		if (snapshot == null || !snapshot.hasSnapshot() || snapshot.getSnapshot().getElement().isEmpty()) {
			throw new IllegalStateException("No snapshot could be generated for " + differential.getUrl());
		}
		List<String> snapshotIds = snapshot.getSnapshot().getElement().stream().map(ElementDefinition::getId).toList();
		for (ElementDefinition element : differential.getDifferential().getElement()) {
			if (!snapshotIds.contains(element.getId())) {
				throw new IllegalStateException("The snapshot of " + differential.getUrl() + " lacks the element "
						+ element.getId() + " its differential constrains");
			}
		}
	}

	/**
	 * Reads every FHIR resource matching a classpath pattern, in name order.
	 */
	static List<IBaseResource> read(FhirContext fhir, String pattern) {
		try {
			Resource[] files = new PathMatchingResourcePatternResolver().getResources(pattern);
			List<IBaseResource> resources = new ArrayList<>();
			for (Resource file : sorted(files)) {
				try (InputStream in = file.getInputStream()) {
					resources
						.add(fhir.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
				}
			}
			return resources;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + pattern, ex);
		}
	}

	private static List<Resource> sorted(Resource[] files) {
		List<Resource> list = new ArrayList<>(List.of(files));
		list.sort(Comparator.comparing(Resource::getFilename, Comparator.nullsFirst(Comparator.naturalOrder())));
		return list;
	}

	PrePopulatedValidationSupport support() {
		return this.support;
	}

	Optional<String> profileFor(String resourceType) {
		return Optional.ofNullable(this.profileByType.get(resourceType));
	}

	Map<String, String> profilesByType() {
		return this.profileByType;
	}

	List<StructureDefinition> structureDefinitions() {
		return this.structureDefinitions;
	}

}
