package health.crosswalk.server;

import java.util.List;

/**
 * What a background job of the server disclosed to one hospital of patients kept by other
 * hospitals: the records of patients linked to the hospital's own that a Bulk Data export
 * writes into its files. The capability that discloses publishes it (a Spring application
 * event, delivered in the publishing thread) before the job goes on; the audit trail,
 * which no capability calls, records one AuditEvent per patient and commits it before
 * returning, so a record that cannot be committed stops the job.
 *
 * @param job the job, as its requester knows it (the export's job id)
 * @param operation the operation that started the job, such as {@code $export}
 * @param hospital the slug of the hospital the records were disclosed to
 * @param patients the patient records disclosed, each with the hospital that keeps it
 */
public record JobDisclosure(String job, String operation, String hospital, List<Disclosures.Disclosed> patients) {

	public JobDisclosure {
		patients = List.copyOf(patients);
	}

}
