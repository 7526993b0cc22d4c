package health.crosswalk.bulk;

import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import health.crosswalk.security.CrosswalkPrincipal;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Who an export belongs to: the caller who started it, named by hospital, credential kind
 * and subject (an API key's id or a token's {@code sub}). HAPI's export job writes that
 * name into the {@code securityContext} of every file (Binary) it produces, so the files
 * and the job's status are answered to the same caller only.
 */
final class ExportOwners {

	/**
	 * The identifier system of an export file's owner in {@code Binary.securityContext}.
	 */
	static final String SYSTEM = CrosswalkPrincipal.REQUESTER_SYSTEM;

	private ExportOwners() {
	}

	/**
	 * The owner's name for a caller.
	 * @param principal the caller
	 * @return {@code hospital/credential/subject[/client]}
	 * @see CrosswalkPrincipal#requester()
	 */
	static String of(CrosswalkPrincipal principal) {
		return principal.requester();
	}

	/**
	 * Whether a caller can own an export: one that names itself (an API key always does;
	 * a token needs a subject).
	 * @param principal the caller
	 * @return true if its exports can be told from others'
	 */
	static boolean canOwn(CrosswalkPrincipal principal) {
		return principal != null && principal.subject() != null && !principal.subject().isBlank();
	}

	/**
	 * Makes the export's files carry their owner.
	 * @param parameters the export about to start
	 * @param principal its requester
	 */
	static void stamp(BulkExportJobParameters parameters, CrosswalkPrincipal principal) {
		parameters.setBinarySecurityContextIdentifierSystem(SYSTEM);
		parameters.setBinarySecurityContextIdentifierValue(of(principal));
	}

	/**
	 * The owner of a job, from its parameters.
	 * @param parameters an export job's parameters
	 * @return the owner, or null if the job was started without one
	 */
	static String ownerOf(BulkExportJobParameters parameters) {
		return SYSTEM.equals(parameters.getBinarySecurityContextIdentifierSystem())
				? parameters.getBinarySecurityContextIdentifierValue() : null;
	}

	/**
	 * The owner of an export file.
	 * @param resource any resource
	 * @return the owner if the resource is a Binary carrying one, else null
	 */
	static String ownerOf(IBaseResource resource) {
		if (!(resource instanceof Binary binary) || !binary.hasSecurityContext()) {
			return null;
		}
		Identifier identifier = binary.getSecurityContext().getIdentifier();
		return SYSTEM.equals(identifier.getSystem()) ? identifier.getValue() : null;
	}

}
