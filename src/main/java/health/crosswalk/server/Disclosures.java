package health.crosswalk.server;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * What an operation disclosed of patients whose records are not among the resources it
 * answers: {@code $ihe-pix} answers identifiers, not Patients. The operation notes each
 * patient record on the request here, in the shared kernel; the audit trail, which no
 * capability calls, reads the notes and names the patients in the interaction's records,
 * one record per patient, so {@code AuditEvent?patient=} finds the disclosure.
 */
public final class Disclosures {

	private static final String KEY = Disclosures.class.getName();

	private static final String ASKED = KEY + ".asked";

	private Disclosures() {
	}

	/**
	 * Notes that a request disclosed something of one patient record.
	 * @param request the request
	 * @param patientId the record's id (its type is Patient)
	 * @param identifierSystem the system of the identifier the request named it by, or
	 * null
	 * @param identifierValue that identifier's value, or null
	 * @param hospital the slug of the hospital that keeps the record
	 */
	public static void patient(RequestDetails request, String patientId, String identifierSystem,
			String identifierValue, String hospital) {
		of(request).add(new Disclosed("Patient/" + patientId, identifierSystem, identifierValue, hospital));
	}

	/**
	 * Notes the identifier an operation was asked about, as soon as the request is read:
	 * if the request then fails or is refused before it discloses any record, its audit
	 * record names the patient by that identifier.
	 * @param request the request
	 * @param identifierSystem the identifier's system
	 * @param identifierValue its value
	 */
	public static void asked(RequestDetails request, String identifierSystem, String identifierValue) {
		request.getUserData().put(ASKED, new Asked(identifierSystem, identifierValue));
	}

	/**
	 * The identifier a request asked about, if it named one.
	 * @param request the request
	 * @return the identifier, or null
	 */
	public static Asked askedOf(RequestDetails request) {
		return (request.getUserData().get(ASKED) instanceof Asked asked) ? asked : null;
	}

	@SuppressWarnings("unchecked")
	private static List<Disclosed> of(RequestDetails request) {
		return (List<Disclosed>) request.getUserData().computeIfAbsent(KEY, (key) -> new ArrayList<Disclosed>());
	}

	/**
	 * The patients a request disclosed, in the order named.
	 * @param request the request
	 * @return the disclosures, empty if none
	 */
	@SuppressWarnings("unchecked")
	public static List<Disclosed> made(RequestDetails request) {
		Object made = request.getUserData().get(KEY);
		return (made instanceof List<?> list) ? (List<Disclosed>) list : List.of();
	}

	/**
	 * One patient record disclosed.
	 *
	 * @param patient {@code Patient/id}
	 * @param identifierSystem the system of the identifier it was named by, or null
	 * @param identifierValue its value, or null
	 * @param hospital the slug of the hospital that keeps it
	 */
	public record Disclosed(String patient, String identifierSystem, String identifierValue, String hospital) {
	}

	/**
	 * The identifier of the patient an operation was asked about.
	 *
	 * @param system its system
	 * @param value its value
	 */
	public record Asked(String system, String value) {
	}

}
