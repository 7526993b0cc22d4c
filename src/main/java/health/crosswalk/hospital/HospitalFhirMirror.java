package health.crosswalk.hospital;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.entity.PartitionEntity;
import ca.uhn.fhir.jpa.partition.IPartitionLookupSvc;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.crosswalk.security.HospitalDirectory;
import org.hl7.fhir.r4.model.Organization;

/**
 * A hospital's presence in HAPI: its partition, and the Organization resource in that
 * partition that mirrors it. Runs inside the registry's transaction.
 */
final class HospitalFhirMirror {

	private final IPartitionLookupSvc partitions;

	private final DaoRegistry daos;

	HospitalFhirMirror(IPartitionLookupSvc partitions, DaoRegistry daos) {
		this.partitions = partitions;
		this.daos = daos;
	}

	/**
	 * Creates the hospital's partition and its Organization.
	 * @return the Organization's id
	 */
	String create(int partitionId, String slug, String name) {
		PartitionEntity partition = new PartitionEntity();
		partition.setId(partitionId);
		partition.setName(slug);
		partition.setDescription(name);
		this.partitions.createPartition(partition, new SystemRequestDetails());
		Organization organization = new Organization();
		organization.addIdentifier().setSystem(HospitalDirectory.HOSPITAL_ORGANIZATION_SYSTEM).setValue(slug);
		organization.setName(name);
		organization.setActive(true);
		return organizations().create(organization, inPartition(partitionId)).getId().getIdPart();
	}

	/**
	 * Mirrors a status change on the Organization's {@code active}.
	 */
	void setActive(int partitionId, String organizationId, boolean active) {
		SystemRequestDetails request = inPartition(partitionId);
		Organization organization = organizations()
			.read(new org.hl7.fhir.r4.model.IdType("Organization", organizationId), request);
		organization.setActive(active);
		organizations().update(organization, request);
	}

	private IFhirResourceDao<Organization> organizations() {
		return this.daos.getResourceDao(Organization.class);
	}

	private static SystemRequestDetails inPartition(int partitionId) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRequestPartitionId(RequestPartitionId.fromPartitionId(partitionId));
		return request;
	}

}
