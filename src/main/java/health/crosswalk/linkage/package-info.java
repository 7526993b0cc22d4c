/**
 * Cross-hospital patient linkage: every hospital Patient record belongs to one universal
 * patient identifier (UPI).
 *
 * <p>
 * Design:
 * <ul>
 * <li>Tables (Flyway): {@code upi}, {@code patient_link} (record to UPI, method, rule
 * version, score, normalised demographics), {@code patient_blocking_key},
 * {@code link_review} (possible matches for stewards) and {@code link_history}
 * (append-only by trigger: every decision with actor, rule version, score, per-field
 * evidence and reason).</li>
 * <li>Matching ({@link health.crosswalk.linkage.Matcher}): a shared identifier in a
 * trusted cross-hospital system links deterministically; otherwise normalised
 * demographics are scored Fellegi-Sunter style (Double Metaphone from commons-codec,
 * Jaro-Winkler from commons-text, nicknames, married names, keying errors in birth dates)
 * over candidates found through blocking keys. Thresholds and weights form a versioned
 * rule set.</li>
 * <li>Transactions and pointcuts: {@code STORAGE_PRECOMMIT_RESOURCE_*} on HAPI's JPA
 * interceptor service queues each Patient write, and linking runs in the write's own
 * transaction just before it commits ({@code beforeCommit}), so a rolled-back write
 * leaves no link, a transaction bundle's references are resolved, and the locks below are
 * held only from then to the commit rather than while the rest of a bundle is validated.
 * Before reading candidates it takes a transaction-scoped advisory lock per blocking key
 * (in key order), so two servers writing the same person at once are serialised and the
 * second sees the first's link. The UPI identifier is refused from clients at
 * {@code STORAGE_PRESTORAGE_*} (422, {@code CW-LINK-001}) and added to Patient responses
 * at {@code STORAGE_PRESHOW_RESOURCES}, computed from the link store: one statement per
 * page shown, whatever the number of Patients on it, read as the page is shown (never
 * cached, so an unlink shows at once).</li>
 * <li>Exposure: {@code Patient/$ihe-pix} (IHE PIXm ITI-83) and {@code Patient/$match}
 * (FHIR R4) are plain HAPI operation providers on the RestfulServer; they look up the
 * source among the caller's own hospital's patients. They tell the audit trail what they
 * disclosed through {@code server.Disclosures};
 * {@code SERVER_INCOMING_REQUEST_POST_PROCESSED} names the identifier a {@code $ihe-pix}
 * query asks about before anything can refuse it, so a failed query's record names it.
 * Data stewards decide through {@code /admin/linkage} (steward or admin role); each
 * decision is manual, needs a reason, runs in its own transaction under the same advisory
 * locks, and is recorded.</li>
 * <li>Sharing ({@code crosswalk.linkage.sharing}): {@code SERVER_OUTGOING_RESPONSE} pages
 * the records linked to the same UPI at other hospitals after the local pages of a
 * hospital's {@code Patient/[id]/$everything}, a page at a time from a cursor in the
 * {@code next} link, tagged with their source hospital and filtered by the caller's
 * scopes; read when asked, never stored across partitions. A search by UPI is rewritten
 * to the caller's own records ({@code SERVER_INCOMING_REQUEST_POST_PROCESSED}) and gets
 * the linked records elsewhere added, when the caller has a record of that person. A
 * hospital's {@code Patient/$export} and {@code Group/[id]/$export} hold them too: a
 * wrapper of HAPI's bulk export processor ({@code SharedExportRecords}) follows the ids
 * HAPI's job fetches in the hospital's partition with those of the linked records'
 * compartments, fetched by HAPI in their own partitions with the export's filters.
 * Patient responses get a {@code seealso} {@code Patient.link} per linked record
 * elsewhere, named by identifier, computed at {@code STORAGE_PRESHOW_RESOURCES} and
 * stripped from writes.</li>
 * </ul>
 */
package health.crosswalk.linkage;
