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
 * Marks each resource of a network export (one started in every partition, by a
 * {@code network-exporter}) with the hospital it comes from: a tag
 * {@code urn:crosswalk:source-hospital} whose code is the hospital's slug, the same mark
 * shared records carry. Resources of the shared default partition carry none.
 */
final class NetworkExportTags {

	private final IntFunction<String> slugOfPartition;

	/**
	 * @param slugOfPartition the slug of the hospital whose partition has this id
	 */
	NetworkExportTags(IntFunction<String> slugOfPartition) {
		this.slugOfPartition = slugOfPartition;
	}

	@Hook(value = Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION, order = Pipeline.EXPORT_OWNER)
	boolean including(BulkExportJobParameters parameters, IBaseResource resource) {
		tag(parameters, resource);
		return true;
	}

	void tag(BulkExportJobParameters parameters, IBaseResource resource) {
		RequestPartitionId export = parameters.getPartitionIdForSecurity();
		if (export == null || !export.isAllPartitions()
				|| !(resource.getUserData(Constants.RESOURCE_PARTITION_ID) instanceof RequestPartitionId from)) {
			return;
		}
		Integer partitionId = from.getFirstPartitionIdOrNull();
		if (partitionId == null || from.isDefaultPartition()) {
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
