package health.crosswalk.linkage;

import java.util.Locale;
import java.util.UUID;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.linkage.LinkStore.RecordRef;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/**
 * What sharing, PIXm and UPI searches do alike: read a linked record in its own partition
 * as the system, and read a UPI from a client's text.
 */
final class Records {

	private Records() {
	}

	/**
	 * A linked Patient record, read as the system in its hospital's partition.
	 * @param daos HAPI's DAOs
	 * @param record the record
	 * @return the Patient, or null if it no longer exists
	 */
	static Patient read(DaoRegistry daos, RecordRef record) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRequestPartitionId(RequestPartitionId.fromPartitionId(record.partitionId()));
		try {
			return daos.getResourceDao(Patient.class).read(new IdType("Patient", record.patientId()), request);
		}
		catch (ResourceNotFoundException | ResourceGoneException ex) {
			return null;
		}
	}

	/**
	 * A UPI as a client wrote it: a UUID in its canonical form (any case), else null.
	 * ({@link UUID#fromString} also takes shortened groups such as {@code 1-2-3-4-5}.)
	 * @param text the client's text
	 * @return the UPI, or null
	 */
	static UUID upi(String text) {
		if (text == null || text.length() != 36) {
			return null;
		}
		try {
			UUID upi = UUID.fromString(text);
			return upi.toString().equals(text.toLowerCase(Locale.ROOT)) ? upi : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
