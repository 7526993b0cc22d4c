/**
 * Request limits: what one request may ask of the server ({@code crosswalk.limits.*}).
 *
 * <p>
 * Design:
 * <ul>
 * <li>The body size is checked by a servlet filter, after the request id and the audit
 * filter (which records the refusal) and before everything that reads parameters or the
 * body: a {@code Content-Length} over the limit is refused at once, a chunked body is
 * read into memory up to the limit and handed on from there, and a form post is read by
 * Tomcat under the same limit and refused if Tomcat could not read it in full. The
 * refusal sets {@code Connection: close}; Tomcat swallows what the client still sends, up
 * to its swallow size.</li>
 * <li>Value limits (string length, decimals that can be written out in full) are checked
 * on {@code STORAGE_PRESTORAGE_RESOURCE_CREATED} and {@code _UPDATED} of HAPI's JPA
 * interceptor service with the lowest order, inside the write's transaction and before
 * linkage reads the resource. A refusal rolls back the whole write or transaction bundle,
 * so nothing is stored that a later read could not write back.</li>
 * <li>Web server only: the command line reads no request.</li>
 * </ul>
 * Trade-off: a chunked body is held twice in memory while HAPI reads it (the filter's
 * copy and HAPI's), bounded by the limit.
 */
package health.crosswalk.limits;
