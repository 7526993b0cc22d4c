/**
 * FHIR Bulk Data: {@code $export} at system, {@code Patient} and {@code Group/[id]}
 * level, on HAPI's own bulk export (its {@code BulkDataExportProvider} and Batch2 jobs),
 * scoped to the caller.
 *
 * <ul>
 * <li>Who may: the access policy ({@code health.crosswalk.security}) lets hospital
 * callers with a read scope on every type start an export and poll it; auditors,
 * administrators and stewards cannot. An export runs in the caller's hospital partition:
 * HAPI asks {@code STORAGE_PARTITION_IDENTIFY_ANY} for the kick-off's partition and runs
 * the job in it, and refuses a poll from another partition. A {@code network-exporter}'s
 * system export runs in every partition (HAPI reads each resource in its own partition
 * and writes the files in the default partition), and
 * {@code STORAGE_BULK_EXPORT_RESOURCE_INCLUSION} ({@code SourceHospitalTags}) tags each
 * resource with its hospital. With sharing on, a hospital's patient- and group-level
 * exports also hold the records linked to its patients at other hospitals (added by
 * {@code health.crosswalk.linkage}, each read in its own partition), which the same hook
 * tags with their source hospital. HAPI builds a patient-level export's queries without
 * {@code _since} and {@code _until}: {@code PatientExportDates}, a wrapper of its bulk
 * export processor, adds them as {@code _lastUpdated}.</li>
 * <li>Whose it is: {@code STORAGE_INITIATE_BULK_EXPORT} (JPA interceptor service) writes
 * the requester (hospital, credential kind, subject) into the job, and HAPI's job copies
 * it into {@code Binary.securityContext} of every file. {@code STORAGE_PRESHOW_RESOURCES}
 * shows a file to that requester only, the {@code STORAGE_PRESTORAGE_*} hooks refuse
 * client writes of such Binaries, and {@code SERVER_INCOMING_REQUEST_PRE_HANDLED}
 * (RestfulServer) answers {@code $export-poll-status} to the requester only, the same 404
 * for a job of someone else and for no job at all.</li>
 * <li>Transactions: the kick-off stores a job (HAPI's own transaction); the job runs on
 * HAPI's Batch2 workers as internal requests in the export's partition, each step in its
 * own transaction, and writes each file as a Binary resource (base64 in the resource
 * body, in the hospital's partition). The job is forgotten after
 * {@code crosswalk.bulk.file-retention}. Its files are registered in
 * {@code crosswalk.export_file} by {@code STORAGE_PRECOMMIT_RESOURCE_CREATED}, in the
 * transaction that stores each, and removed whole (HAPI's delete and expunge, in the
 * file's partition) by {@code ExportPurge} once the export is over and forgotten: HAPI's
 * own purge looks in the default partition, where they are not. Each file is claimed for
 * a lease before removal, so that servers sharing the database remove it once.</li>
 * <li>Audit: every kick-off, poll and file download is an interaction like any other and
 * leaves its AuditEvent; the job's own reads and writes are the server's.</li>
 * </ul>
 */
package health.crosswalk.bulk;
