package health.crosswalk.security;

/**
 * What security needs to know of a hospital.
 *
 * @param slug the hospital's stable name
 * @param partitionId the HAPI partition holding its data
 * @param active false when the hospital is suspended
 */
public record HospitalRef(String slug, int partitionId, boolean active) {
}
