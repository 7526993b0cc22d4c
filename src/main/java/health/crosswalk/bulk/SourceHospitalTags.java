package health.crosswalk.bulk;

import java.util.function.IntFunction;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Marks each exported resource that comes from another hospital than the export's with
 * that hospital: a tag {@code urn:crosswalk:source-hospital} whose code is the hospital's
 * slug, the same mark shared records carry elsewhere. In a network export (one started in
 * every partition, by a {@code network-exporter}) that is every hospital's resource; in a
 * hospital's export, the records linked to its patients at other hospitals that sharing
 * adds (see {@code health.crosswalk.linkage}). Resources of the shared default partition
 * carry none.
 */
final class SourceHospitalTags {

	private final IntFunction<String> slugOfPartition;

	/**
	 * @param slugOfPartition the slug of the hospital whose partition has this id
	 */
	SourceHospitalTags(IntFunction<String> slugOfPartition) {
		this.slugOfPartition = slugOfPartition;
	}

	@Hook(value = Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION, order = Pipeline.EXPORT_OWNER)
	boolean including(BulkExportJobParameters parameters, IBaseResource resource) {
		tag(parameters, resource);
		return true;
	}

	void tag(BulkExportJobParameters parameters, IBaseResource resource) {
		RequestPartitionId export = parameters.getPartitionIdForSecurity();
		if (export == null
				|| !(resource.getUserData(Constants.RESOURCE_PARTITION_ID) instanceof RequestPartitionId from)) {
			return;
		}
		Integer partitionId = from.getFirstPartitionIdOrNull();
		if (partitionId == null || from.isDefaultPartition()) {
			return;
		}
		// A hospital's export: its own resources carry no mark.
		if (!export.isAllPartitions() && (!export.hasPartitionIds() || export.hasPartitionId(partitionId))) {
			return;
		}
		String slug = this.slugOfPartition.apply(partitionId);
		// Writes carrying the tag are refused; one stored before that is not trusted.
		resource.getMeta().getTag().removeIf((tag) -> HospitalDirectory.SOURCE_HOSPITAL_TAG.equals(tag.getSystem()));
		if (slug != null) {
			resource.getMeta()
				.addTag()
				.setSystem(HospitalDirectory.SOURCE_HOSPITAL_TAG)
				.setCode(slug)
				.setDisplay("Exported from hospital " + slug);
		}
	}

}
