package health.crosswalk.bulk;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.ExpungeOptions;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;

/**
 * Removes export files through HAPI's own delete and expunge, in the file's partition.
 * Expunge is off for clients (history is kept); a file of an export is not a record, and
 * is removed whole.
 */
final class ExportBinaries implements ExportPurge.Binaries {

	private final IFhirResourceDao<Binary> dao;

	ExportBinaries(IFhirResourceDao<Binary> dao) {
		this.dao = dao;
	}

	@Override
	public void remove(ExportPurge.File file) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRequestPartitionId((file.partitionId() != null)
				? RequestPartitionId.fromPartitionId(file.partitionId()) : RequestPartitionId.defaultPartition());
		IdType id = new IdType("Binary", file.binaryId());
		try {
			this.dao.delete(id, request);
		}
		catch (ResourceNotFoundException | ResourceGoneException ex) {
			// Deleted already, or expunged.
		}
		try {
			this.dao.forceExpungeInExistingTransaction(id,
					new ExpungeOptions().setExpungeDeletedResources(true).setExpungeOldVersions(true), request);
		}
		catch (ResourceNotFoundException ex) {
			// Expunged already.
		}
	}

}
