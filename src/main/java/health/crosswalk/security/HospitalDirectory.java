package health.crosswalk.security;

import java.util.Optional;

/**
 * Looks up hospitals for authentication and authorization; implemented by the hospital
 * registry.
 */
public interface HospitalDirectory {

	/**
	 * Identifier system of the Organization that mirrors each hospital in its partition;
	 * the value is the hospital's slug. Such Organizations are written only by the
	 * registry.
	 */
	String HOSPITAL_ORGANIZATION_SYSTEM = "urn:crosswalk:hospital";

	/**
	 * Tag system marking a record shown to one hospital from another (sharing of linked
	 * records); the code is the source hospital's slug.
	 */
	String SOURCE_HOSPITAL_TAG = "urn:crosswalk:source-hospital";

	/**
	 * The hospital with this slug.
	 * @param slug a hospital slug
	 * @return the hospital, if registered
	 */
	Optional<HospitalRef> findBySlug(String slug);

	/**
	 * The hospital that owns an identifier system (its MRN namespace).
	 * @param system an identifier system URI
	 * @return the owning hospital's slug, or empty when no hospital owns it (shared and
	 * national systems)
	 */
	Optional<String> ownerOfIdentifierSystem(String system);

}
