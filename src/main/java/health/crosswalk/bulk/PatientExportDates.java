package health.crosswalk.bulk;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.bulk.export.model.ExportPIDIteratorParameters;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * {@code _since} and {@code _until} for {@code Patient/$export}: HAPI 8.8 applies them to
 * system- and group-level exports but builds a patient-level export's queries without
 * them, so such an export held every version's current state whatever its date. This
 * wrapper of HAPI's {@link IBulkExportProcessor} adds them to each query of a
 * patient-level export as {@code _lastUpdated} (from {@code _since}, to {@code _until},
 * both inclusive as in HAPI's other levels), within each {@code _typeFilter} of the type
 * (replacing a {@code _lastUpdated} of its own, as HAPI does at the other levels), or as
 * a filter of its own when the type has none.
 */
final class PatientExportDates implements IBulkExportProcessor<JpaPid> {

	/** An instant to the millisecond, as HAPI compares {@code _lastUpdated}. */
	private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
		.withZone(ZoneOffset.UTC);

	private final IBulkExportProcessor<JpaPid> hapi;

	PatientExportDates(IBulkExportProcessor<JpaPid> hapi) {
		this.hapi = hapi;
	}

	@Override
	public Iterator<JpaPid> getResourcePidIterator(ExportPIDIteratorParameters parameters) {
		if (parameters.getExportStyle() != ExportStyle.PATIENT
				|| (parameters.getStartDate() == null && parameters.getEndDate() == null)
				|| parameters.getResourceType() == null) {
			return this.hapi.getResourcePidIterator(parameters);
		}
		// The dates go into this query only: whatever else reads the parameters later
		// sees the export's own filters.
		List<String> filters = parameters.getFilters();
		parameters.setFilters(
				dated(parameters.getResourceType(), filters, parameters.getStartDate(), parameters.getEndDate()));
		try {
			return this.hapi.getResourcePidIterator(parameters);
		}
		finally {
			parameters.setFilters(filters);
		}
	}

	/**
	 * The filters of an export with the dates added to those of one type.
	 * @param type the resource type being fetched
	 * @param filters the export's {@code _typeFilter}s (null: none)
	 * @param since from when, or null
	 * @param until to when, or null
	 * @return a new list
	 */
	static List<String> dated(String type, List<String> filters, Date since, Date until) {
		StringBuilder dates = new StringBuilder();
		if (since != null) {
			dates.append("_lastUpdated=ge").append(INSTANT.format(since.toInstant()));
		}
		if (until != null) {
			dates.append((dates.length() > 0) ? "&" : "")
				.append("_lastUpdated=le")
				.append(INSTANT.format(until.toInstant()));
		}
		List<String> dated = new ArrayList<>();
		boolean typeFiltered = false;
		for (String filter : (filters != null) ? filters : List.<String>of()) {
			if (filter.startsWith(type + "?")) {
				typeFiltered = true;
				// The export's dates replace a filter's own, as HAPI's other levels do.
				List<String> parameters = new ArrayList<>();
				for (String parameter : filter.substring(type.length() + 1).split("&")) {
					if (!parameter.isEmpty() && !parameter.startsWith("_lastUpdated=")) {
						parameters.add(parameter);
					}
				}
				parameters.add(dates.toString());
				dated.add(type + "?" + String.join("&", parameters));
			}
			else {
				dated.add(filter);
			}
		}
		if (!typeFiltered) {
			dated.add(type + "?" + dates);
		}
		return dated;
	}

	@Override
	public void expandMdmResources(List<IBaseResource> resources) {
		this.hapi.expandMdmResources(resources);
	}

	@Override
	public Set<String> getPatientSetForGroupExport(ExportPIDIteratorParameters parameters) {
		return this.hapi.getPatientSetForGroupExport(parameters);
	}

	@Override
	public Set<String> getPatientSetForPatientExport(ExportPIDIteratorParameters parameters) {
		return this.hapi.getPatientSetForPatientExport(parameters);
	}

}
