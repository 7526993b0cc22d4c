package health.crosswalk.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import health.crosswalk.security.HospitalDirectory;
import org.hl7.fhir.instance.model.api.IBaseCoding;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Groups the resources an interaction returned or wrote by the patient whose compartment
 * they belong to, and notes which came from other hospitals.
 */
final class Touches {

	private final FhirContext fhir;

	Touches(FhirContext fhir) {
		this.fhir = fhir;
	}

	/**
	 * @param resources the resources
	 * @param listResources whether each touch lists its resources (reads, writes) or only
	 * the patient (searches and operations, as BALP's PatientQuery)
	 * @return one touch per patient, plus one for resources outside any patient
	 */
	List<AuditFacts.Touch> of(Collection<? extends IBaseResource> resources, boolean listResources) {
		FhirTerser terser = this.fhir.newTerser();
		Map<String, Group> groups = new LinkedHashMap<>();
		for (IBaseResource resource : resources) {
			if (resource == null || resource instanceof IBaseOperationOutcome || !resource.getIdElement().hasIdPart()
					|| !isServerId(resource.getIdElement().getIdPart())) {
				continue;
			}
			IIdType id = resource.getIdElement().toUnqualifiedVersionless();
			String reference = id.hasResourceType() ? id.getValue()
					: this.fhir.getResourceType(resource) + "/" + id.getIdPart();
			String custodian = custodian(resource);
			for (String patient : patients(terser, resource, reference)) {
				Group group = groups.computeIfAbsent(patient, (key) -> new Group());
				if (listResources) {
					group.resources.add(reference);
				}
				if (custodian != null) {
					group.custodians.add(custodian);
				}
			}
		}
		List<AuditFacts.Touch> touches = new ArrayList<>(groups.size());
		groups.forEach((patient, group) -> {
			if (!patient.isEmpty() || !group.resources.isEmpty() || !group.custodians.isEmpty()) {
				touches.add(new AuditFacts.Touch(patient.isEmpty() ? null : patient, List.copyOf(group.resources),
						Set.copyOf(group.custodians)));
			}
		});
		return touches;
	}

	private List<String> patients(FhirTerser terser, IBaseResource resource, String reference) {
		if ("Patient".equals(this.fhir.getResourceType(resource))) {
			return List.of(reference);
		}
		if (this.fhir.getResourceDefinition(resource).getSearchParamsForCompartmentName("Patient").isEmpty()) {
			return List.of("");
		}
		List<String> owners = new ArrayList<>();
		for (IIdType owner : terser.getCompartmentOwnersForResource("Patient", resource, (Set<String>) null)) {
			boolean patient = !owner.hasResourceType() || "Patient".equals(owner.getResourceType());
			if (patient && owner.hasIdPart() && isServerId(owner.getIdPart())) {
				owners.add("Patient/" + owner.getIdPart());
			}
		}
		return owners.isEmpty() ? List.of("") : owners;
	}

	/** Not a contained ({@code #x}) or placeholder ({@code urn:uuid:}) id. */
	private static boolean isServerId(String id) {
		return !id.startsWith("#") && !id.startsWith("urn:");
	}

	private static String custodian(IBaseResource resource) {
		for (IBaseCoding tag : resource.getMeta().getTag()) {
			if (HospitalDirectory.SOURCE_HOSPITAL_TAG.equals(tag.getSystem())) {
				return tag.getCode();
			}
		}
		return null;
	}

	private static final class Group {

		final Set<String> resources = new LinkedHashSet<>();

		final Set<String> custodians = new LinkedHashSet<>();

	}

}
