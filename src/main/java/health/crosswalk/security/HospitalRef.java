package health.crosswalk.security;

/**
 * What security needs to know of a hospital.
 *
 * @param slug the hospital's stable name
 * @param partitionId the HAPI partition holding its data
 * @param active false when the hospital is suspended
 * @param organizationId id of the Organization that stands for the hospital in its
 * partition, or null while it is being registered
 */
public record HospitalRef(String slug, int partitionId, boolean active, String organizationId) {
}
