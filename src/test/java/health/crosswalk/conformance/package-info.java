/**
 * Build-time conformance checks (issue #14): Crosswalk's AuditEvents against IHE BALP
 * 1.1.4, its {@code $ihe-pix} answers and audit against IHE PIXm 3.1.0, its
 * {@code $match} answers and audit against IHE PDQm 3.2.0, with HAPI's validator.
 *
 * <p>
 * IHE's FHIR packages cannot be downloaded where Crosswalk is built and are not ours to
 * commit, so {@link health.crosswalk.conformance.IheProfiles} restates their constraints
 * as differential StructureDefinitions of our own, under
 * {@code https://crosswalk.health/conformance/}, each naming the IHE profile and version
 * it transcribes. {@link health.crosswalk.conformance.ConformanceValidator} loads them;
 * run with {@code -Dcrosswalk.conformance.ihe-packages=<directory of IHE .tgz packages>}
 * to also validate against IHE's own profiles.
 */
package health.crosswalk.conformance;
