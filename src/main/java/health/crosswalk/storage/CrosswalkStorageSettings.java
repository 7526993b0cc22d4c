package health.crosswalk.storage;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;

/**
 * Every HAPI storage setting Crosswalk chooses on purpose, in one place, each with its
 * reason. Anything not set here keeps HAPI's default.
 */
final class CrosswalkStorageSettings {

	private CrosswalkStorageSettings() {
	}

	static JpaStorageSettings storage() {
		JpaStorageSettings settings = new JpaStorageSettings();
		// A reference to a resource that does not exist is refused: hospitals must not
		// build records that point nowhere.
		settings.setEnforceReferentialIntegrityOnWrite(true);
		// A resource still referenced cannot be deleted:
		// no Observation loses its Patient.
		settings.setEnforceReferentialIntegrityOnDelete(true);
		// No placeholder targets invented for dangling references.
		settings.setAutoCreatePlaceholderReferenceTargets(false);
		// References point into this server only; absolute URLs elsewhere are refused.
		settings.setAllowExternalReferences(false);
		// History is kept: every version stays readable, and no API can expunge it.
		settings.setExpungeEnabled(false);
		settings.setDeleteExpungeEnabled(false);
		// One conditional delete removes at most one resource.
		settings.setAllowMultipleDelete(false);
		// Server-assigned ids are UUIDs: they reveal nothing about a hospital's volumes
		// or the order of its records.
		settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
		// Clients cannot choose ids (PUT to a new id): ids are unique across partitions,
		// so a chosen id could collide with, and reveal, another hospital's resource.
		// EHRs upsert with conditional update (PUT Patient?identifier=...) instead.
		settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.NOT_ALLOWED);
		// Searches run fresh each time: a clinician must see the Observation stored a
		// second ago. (HAPI otherwise replays an identical search for 60 s.)
		settings.setReuseCachedSearchResultsForMillis(null);
		// Search result pages expire an hour after the search ran.
		settings.setExpireSearchResultsAfterMillis(60L * 60 * 1000);
		// Full-text and Lucene/Elasticsearch indexing are
		// off; PostgreSQL does all search.
		settings.setAdvancedHSearchIndexing(false);
		settings.setHibernateSearchIndexFullText(false);
		settings.setHibernateSearchIndexSearchParams(false);
		// The display text of codes is not indexed (one string row less per coding):
		// searches match codes, and :text on a token answers 400.
		settings.setSuppressStringIndexingInTokens(true);
		// Index rows carry their hashes only, not the resource type and parameter name
		// again (HAPI 7.4+; partition ids are not part of the hashes, as HAPI requires).
		settings.setIndexStorageOptimized(true);
		// Tags, profiles and security labels stay in the resource body, versioned with
		// it, and are indexed like any search parameter (_tag, _profile, _security),
		// instead of two tag-table rows per version and a tag-definition lookup.
		settings.setTagStorageMode(JpaStorageSettings.TagStorageModeEnum.INLINE);
		// The GET entries of a batch run one after another in the request's own thread
		// (HAPI's rule for a pool size of 1), not on a shared pool where one batch could
		// take every database connection: a request holds at most one connection, and
		// counts against its hospital's fair share like any other (see
		// health.crosswalk.fairshare).
		settings.setBundleBatchPoolSize(1);
		settings.setBundleBatchMaxPoolSize(1);
		return settings;
	}

	static PartitionSettings partitions() {
		PartitionSettings settings = new PartitionSettings();
		// Each hospital's data lives in its own partition, chosen from the caller's
		// principal (see health.crosswalk.security), never from the URL.
		settings.setPartitioningEnabled(true);
		// A resource may only reference resources of its own partition: anything that
		// spans hospitals is computed at read time from Crosswalk's own tables.
		settings.setAllowReferencesAcrossPartitions(PartitionSettings.CrossPartitionReferenceMode.NOT_ALLOWED);
		// Partitions are named after hospital slugs and registered in HFJ_PARTITION.
		settings.setUnnamedPartitionMode(false);
		// Conditional creates are deduplicated per partition: the same If-None-Exist at
		// two hospitals creates two resources, and neither learns of the other's.
		settings.setConditionalCreateDuplicateIdentifiersEnabled(true);
		return settings;
	}

}
