package health.crosswalk.storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What HAPI's storage indexes ({@code crosswalk.storage.*}).
 *
 * @param searchParameters which search parameters are indexed
 * @param slowStatementThreshold statements of HAPI's storage (through Hibernate) that run
 * longer are logged by {@code org.hibernate.SQL_SLOW} with their duration and SQL (bound
 * values left out); 0 logs none
 * @param idCache the cache of resource identities
 * ({@link health.crosswalk.storage.IdCache})
 */
@ConfigurationProperties("crosswalk.storage")
record StorageProperties(@DefaultValue SearchParameters searchParameters,
		@DefaultValue("1s") Duration slowStatementThreshold, @DefaultValue IdCacheSettings idCache) {

	StorageProperties {
		if (slowStatementThreshold.isNegative()) {
			throw new IllegalArgumentException(
					"crosswalk.storage.slow-statement-threshold must not be negative, but was "
							+ slowStatementThreshold);
		}
	}

	/**
	 * The cache of resource identities, kept by each server.
	 *
	 * @param size most entries in each direction (type and id to row, row to type and id)
	 * @param expiry how long an entry is kept after it was written: how long a delete on
	 * another server may go unseen where HAPI trusts the cache for it
	 */
	record IdCacheSettings(@DefaultValue("100000") long size, @DefaultValue("10m") Duration expiry) {

		IdCacheSettings {
			if (size < 1_000) {
				throw new IllegalArgumentException(
						"crosswalk.storage.id-cache.size must be at least 1000, but was " + size);
			}
			if (expiry.isNegative() || expiry.isZero()) {
				throw new IllegalArgumentException(
						"crosswalk.storage.id-cache.expiry must be positive, but was " + expiry);
			}
		}

	}

	/**
	 * Which search parameters are indexed.
	 *
	 * @param subset true: the core types index only the parameters Crosswalk lists for
	 * them ({@link SearchParameterSubset#CORE}), references always; false: every
	 * parameter of FHIR R4, as HAPI does
	 * @param indexed per resource type, the non-reference parameters to index; replaces
	 * Crosswalk's list for a core type, and trims any other type the same way
	 */
	record SearchParameters(@DefaultValue("true") boolean subset, Map<String, List<String>> indexed) {

		SearchParameters {
			indexed = (indexed != null) ? Map.copyOf(indexed) : Map.of();
		}

	}

}
