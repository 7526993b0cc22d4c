package health.crosswalk.security;

import java.util.Optional;

/**
 * The hospital directory of the security unit tests: "general" owns
 * {@code urn:general:mrn}, "riverside" owns {@code urn:riverside:mrn}; no hospital is
 * looked up by slug.
 */
final class TwoHospitals implements HospitalDirectory {

	static final HospitalRef GENERAL = new HospitalRef("general", 1, true, "1");

	@Override
	public Optional<HospitalRef> findBySlug(String slug) {
		return Optional.empty();
	}

	@Override
	public Optional<String> ownerOfIdentifierSystem(String system) {
		return "urn:riverside:mrn".equals(system) ? Optional.of("riverside")
				: "urn:general:mrn".equals(system) ? Optional.of("general") : Optional.empty();
	}

}
