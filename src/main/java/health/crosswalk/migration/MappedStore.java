package health.crosswalk.migration;

import java.util.List;
import java.util.Map;

import health.crosswalk.migration.SourceRecords.SourceRecord;

/**
 * A legacy store mapped to FHIR records.
 *
 * @param rows rows (or documents) read per table (or collection)
 * @param records the records each table gave, in the order read
 */
record MappedStore(Map<String, Integer> rows, Map<String, List<SourceRecord>> records) {
}
