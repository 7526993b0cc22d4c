/**
 * Request limits: what one request may ask of the server ({@code crosswalk.limits.*}).
 *
 * <p>
 * Design:
 * <ul>
 * <li>Request size ({@code RequestSizeFilter}, a servlet filter after the request id and
 * the audit filter, which records the refusal, and before everything that reads
 * parameters or the body): a {@code Content-Length} over the limit is refused at once, a
 * chunked body is read into memory up to the limit and handed on from there, and a form
 * post is read by Tomcat under the same limit and refused if it was too large; then the
 * count and length of parameter values, query and form alike. A body refusal sets
 * {@code Connection: close}; Tomcat swallows what the client still sends, up to its
 * swallow size.</li>
 * <li>The raw body of a FHIR request ({@code BodyHooks},
 * {@code SERVER_INCOMING_REQUEST_POST_PROCESSED} on the RestfulServer, outside any
 * transaction, before HAPI parses the same cached bytes): a JSON body (by its
 * Content-Type) must be UTF-8, declared or not, no number in it may be so large that
 * HAPI's parser would spend seconds expanding it, and its objects and arrays may nest no
 * deeper than the limit ({@code JsonScan}, one pass for both); a FHIR XML body's elements
 * may nest no deeper than theirs ({@code XmlScan}). Other bodies, such as a Binary's
 * content, are not read.</li>
 * <li>The search parameters of a search or conditional write ({@code SearchModifiers},
 * {@code SERVER_INCOMING_REQUEST_PRE_HANDLED} on the RestfulServer, after the security
 * hooks): a modifier FHIR R4 does not define for the parameter's type, as the server's
 * search parameter registry gives it, is refused instead of ignored; so are
 * {@code :missing}, also at the end of a chain, a {@code near} value that is no position
 * ({@code NearValues}), and {@code _offset} on a search sorted by distance. A
 * transaction's or batch's entries are checked the same way on
 * {@code STORAGE_TRANSACTION_PROCESSING}, with any entry URL that cannot be decoded.</li>
 * <li>The entries of a transaction or batch Bundle are counted on
 * {@code STORAGE_TRANSACTION_PROCESSING}, before HAPI processes any
 * ({@code BundleEntries}, ahead of the Bundle's shape check), and each resource of a
 * transaction is given the value limits below there, once: HAPI runs the searches of a
 * transaction's conditional references at its start.</li>
 * <li>Value limits (string length, decimals that can be written out in full, text FHIR
 * allows, dates of their type's precision) are checked on
 * {@code STORAGE_PRESTORAGE_RESOURCE_CREATED} and {@code _UPDATED} of HAPI's JPA
 * interceptor service right after the security hooks, inside the write's transaction and
 * before linkage reads the resource. A refusal rolls back the whole write or transaction
 * bundle, so nothing is stored that a later read could not write back. The same walk
 * checks each conditional reference ({@code Patient?identifier=...}) as the search it
 * names, before HAPI resolves it, and counts the resource's elements
 * ({@code max-elements}) before the validator, whose time grows faster than that count,
 * sees it; and before each resource a request stores, the request's time so far is held
 * against {@code max-transaction-time} ({@code TransactionTime}), so a transaction that
 * has run too long is refused at its next entry and rolled back. The walk
 * ({@code ElementWalk}) sees the elements HAPI's {@code FhirTerser.visit} sees, in its
 * order, with a quarter of its garbage; it is held to HAPI's by unit and integration
 * tests.</li>
 * <li>Web server only: the command line reads no request.</li>
 * </ul>
 * Trade-off: a chunked body is held twice in memory while HAPI reads it (the filter's
 * copy and HAPI's), bounded by the limit.
 */
package health.crosswalk.limits;
