package health.crosswalk.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;

/**
 * Checks an export's parameters as it starts, where HAPI would accept them and let the
 * job fail later (a failed job answers its poll with a 500): every {@code _typeFilter}
 * and {@code _typePostFetchFilterUrl} must be {@code Type?query} on a type the export
 * includes, with search parameters that type has; {@code _mdm} is not offered.
 */
final class ExportRequests {

	/** Parses a search the way HAPI's job will. */
	interface Searches {

		/**
		 * Checks a search.
		 * @param resourceType its type
		 * @param search {@code Type?query}
		 * @throws IllegalArgumentException with what is wrong
		 */
		void check(String resourceType, String search);

	}

	private final Set<String> resourceTypes;

	private final Searches searches;

	/**
	 * @param resourceTypes every resource type the server knows
	 * @param searches the search parser
	 */
	ExportRequests(Set<String> resourceTypes, Searches searches) {
		this.resourceTypes = resourceTypes;
		this.searches = searches;
	}

	void check(BulkExportJobParameters parameters) {
		if (parameters.isExpandMdm()) {
			throw BulkError.BAD_EXPORT_REQUEST.exception("_mdm is not offered: records of the same person at other "
					+ "hospitals are linked by UPI, not by HAPI's MDM.");
		}
		List<String> filters = new ArrayList<>();
		if (parameters.getFilters() != null) {
			filters.addAll(parameters.getFilters());
		}
		if (parameters.getPostFetchFilterUrls() != null) {
			filters.addAll(parameters.getPostFetchFilterUrls());
		}
		List<String> exported = (parameters.getResourceTypes() != null) ? parameters.getResourceTypes() : List.of();
		for (String filter : filters) {
			int query = filter.indexOf('?');
			String type = (query > 0) ? filter.substring(0, query) : null;
			if (type == null || !this.resourceTypes.contains(type)) {
				throw BulkError.BAD_EXPORT_REQUEST.exception(
						"The filter '" + filter + "' is not a search of a resource type (Type?parameter=value).");
			}
			if (!exported.isEmpty() && !exported.contains(type)) {
				throw BulkError.BAD_EXPORT_REQUEST
					.exception("The filter '" + filter + "' searches " + type + ", which _type does not export.");
			}
			try {
				this.searches.check(type, filter);
			}
			catch (IllegalArgumentException ex) {
				throw BulkError.BAD_EXPORT_REQUEST
					.exception("The filter '" + filter + "' is not a search the server can run: " + ex.getMessage());
			}
		}
	}

}
