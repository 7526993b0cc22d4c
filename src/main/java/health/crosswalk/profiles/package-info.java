/**
 * Crosswalk's FHIR profiles, enforced on every write.
 *
 * <p>
 * Design:
 * <ul>
 * <li>The profiles are the JSON files of the repository's {@code fhir-profiles/}
 * (StructureDefinition differentials, and any ValueSet or CodeSystem they need), packed
 * into the jar and read at startup without network access, on a thread of their own while
 * the rest of the server starts. Snapshots are generated when they are loaded; a profile
 * that cannot be snapshotted stops the start.</li>
 * <li>The core validator is HAPI's, through {@code PooledInstanceValidator}, which reuses
 * each core {@code InstanceValidator}, with its JSON parser, for 100 resources instead of
 * building one per resource (building one reads the 1.5 MB OID registry: three quarters
 * of the cost of validating a typical resource; a parser builds a FHIRPath engine, a
 * tenth). {@code ValidationDifferentialIT} holds it to HAPI's own validator.</li>
 * <li>A compiled check ({@code CompiledCheck}: {@code Shapes} of the snapshots,
 * {@code Patterns}, {@code Primitives}, {@code Codes}) accepts the writes it is sure the
 * core validator accepts and sends every other write to it; refusals and their messages
 * are always the core validator's. It is a second reading of the core validator's rules
 * (6.7.9), held to it by {@code ValidationDifferentialIT} and, in production, by a sample
 * of accepted writes validated in full
 * ({@code crosswalk.profiles.full-check-every}).</li>
 * <li>They are inserted at the front of HAPI's JPA validation support chain, ahead of the
 * core definitions, so {@code $validate} (with or without {@code profile}) knows
 * them.</li>
 * <li>Enforcement: {@code STORAGE_PRECOMMIT_RESOURCE_CREATED/UPDATED} on HAPI's JPA
 * interceptor service only (on both services it would run twice), at the pipeline's
 * {@code VALIDATION} position, before linkage and the audit read the resource, inside the
 * write's transaction (deferred to the end of a transaction bundle, once its
 * {@code urn:uuid} references are resolved), for client writes including each bundle
 * entry; a refusal rolls the transaction back. Patient, Observation, MedicationRequest
 * and Appointment are validated against their Crosswalk profile (Observations in the
 * vital-signs category also against the core vital-signs profile); every other type
 * against the base definitions. Errors answer 422 with one issue per problem
 * ({@code CW-PROF-001}, element path in {@code location} and {@code expression});
 * warnings do not refuse.</li>
 * <li>The valid examples are validated once before the server reports ready, which warms
 * the validator.</li>
 * <li>{@code SERVER_CAPABILITY_STATEMENT_GENERATED} (RestfulServer) lists each profile as
 * {@code supportedProfile}.</li>
 * </ul>
 */
package health.crosswalk.profiles;
