package health.crosswalk.security;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Names the sender of a write in {@code meta.source} when the client names none: an
 * absolute URI, {@code urn:crosswalk:hospital:<slug>}, to which HAPI appends
 * {@code #<request id>}. A bare {@code #<request id>} is a relative reference that
 * validators flag; a source the client sends is kept as it is.
 */
final class SenderSource {

	static final String HOSPITAL_PREFIX = HospitalDirectory.HOSPITAL_ORGANIZATION_SYSTEM + ":";

	static final String NETWORK = "urn:crosswalk:network";

	private SenderSource() {
	}

	static void name(CrosswalkPrincipal principal, IBaseResource resource) {
		if (!(resource instanceof Resource r4)) {
			return;
		}
		String source = r4.getMeta().getSource();
		if (source == null || source.isBlank() || source.startsWith("#")) {
			// Any #fragment the client sent is HAPI's to replace with the request id.
			r4.getMeta().setSource(principal.hasHospital() ? HOSPITAL_PREFIX + principal.hospitalSlug() : NETWORK);
		}
	}

}
