package health.crosswalk.migration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The records of FHIR sources: NDJSON files (a resource per line, as a Bulk Data export
 * writes them) and JSON files (a Bundle, such as Synthea's, or one resource). A directory
 * stands for the {@code .ndjson} and {@code .json} files under it, in name order.
 */
final class SourceRecords {

	/**
	 * One record of a source: a resource, or the text that is none.
	 *
	 * @param file the file, as given or found
	 * @param position its line (NDJSON) or entry (Bundle, from 1; 0 for the file itself)
	 * @param fullUrl the Bundle entry's fullUrl, if any
	 * @param json the resource as JSON, or null if the record is not one
	 * @param type its resource type, or null
	 * @param id its id in the source, or null
	 * @param problem why the record is not a resource, or null
	 * @param skipped whether the record is left out by design (such as a login account of
	 * the old application) rather than refused for a defect
	 */
	record SourceRecord(String file, int position, String fullUrl, String json, String type, String id, String problem,
			boolean skipped) {

		SourceRecord(String file, int position, String fullUrl, String json, String type, String id, String problem) {
			this(file, position, fullUrl, json, type, id, problem, false);
		}

		String where() {
			return this.file + ":" + this.position;
		}

	}

	private final IParser parser;

	SourceRecords(FhirContext fhir) {
		this.parser = fhir.newJsonParser();
	}

	/**
	 * The files a list of paths stands for, each once.
	 * @param paths files and directories
	 * @param exclude a directory whose files are never sources (the run's report)
	 * @return the files
	 */
	static List<Path> files(List<Path> paths, Path exclude) {
		Set<Path> seen = new LinkedHashSet<>();
		Path excluded = (exclude != null) ? exclude.toAbsolutePath().normalize() : null;
		for (Path path : paths) {
			List<Path> found = new ArrayList<>();
			if (Files.isDirectory(path)) {
				try (Stream<Path> walk = Files.walk(path)) {
					walk.filter(Files::isRegularFile)
						.filter((file) -> file.toString().endsWith(".ndjson") || file.toString().endsWith(".json"))
						.sorted()
						.forEach(found::add);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			else {
				found.add(path);
			}
			for (Path file : found) {
				Path absolute = file.toAbsolutePath().normalize();
				if (excluded == null || !absolute.startsWith(excluded)) {
					seen.add(real(file));
				}
			}
		}
		return List.copyOf(seen);
	}

	private static Path real(Path file) {
		try {
			return file.toRealPath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads every record of a file.
	 * @param file the file
	 * @return its records, in order
	 * @throws IOException if the file cannot be read
	 */
	List<SourceRecord> read(Path file) throws IOException {
		String name = file.toString();
		List<SourceRecord> records = new ArrayList<>();
		if (name.endsWith(".ndjson")) {
			try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				return readNdjson(name, lines);
			}
		}
		String text = Files.readString(file, StandardCharsets.UTF_8);
		IBaseResource resource;
		try {
			resource = this.parser.parseResource(text);
		}
		catch (DataFormatException ex) {
			records.add(new SourceRecord(name, 0, null, null, null, null, "not a FHIR resource: " + ex.getMessage()));
			return records;
		}
		if (resource instanceof Bundle bundle) {
			for (int i = 0; i < bundle.getEntry().size(); i++) {
				Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
				if (entry.hasResource()) {
					records.add(new SourceRecord(name, i + 1, entry.getFullUrl(),
							this.parser.encodeResourceToString(entry.getResource()), entry.getResource().fhirType(),
							idOf(entry.getResource()), null));
				}
				else {
					records.add(new SourceRecord(name, i + 1, entry.getFullUrl(), null, null, null,
							"a Bundle entry without a resource"));
				}
			}
		}
		else {
			records.add(new SourceRecord(name, 1, null, text, resource.fhirType(), idOf(resource), null));
		}
		return records;
	}

	/**
	 * Reads every line of NDJSON.
	 * @param name the file's name, as the report shows it
	 * @param lines its lines
	 * @return its records, in order
	 * @throws IOException if the lines cannot be read
	 */
	List<SourceRecord> readNdjson(String name, BufferedReader lines) throws IOException {
		List<SourceRecord> records = new ArrayList<>();
		int position = 0;
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			position++;
			if (!line.isBlank()) {
				records.add(record(name, position, null, line));
			}
		}
		return records;
	}

	private SourceRecord record(String file, int position, String fullUrl, String json) {
		try {
			IBaseResource resource = this.parser.parseResource(json);
			return new SourceRecord(file, position, fullUrl, json, resource.fhirType(), idOf(resource), null);
		}
		catch (DataFormatException ex) {
			return new SourceRecord(file, position, fullUrl, null, null, null,
					"not a FHIR resource: " + ex.getMessage());
		}
	}

	/**
	 * A resource's id in its source; the parser gives a Bundle entry's resource its
	 * {@code urn:uuid} fullUrl as id, which is no id.
	 */
	private static String idOf(IBaseResource resource) {
		String value = resource.getIdElement().getValue();
		return (value == null || value.startsWith("urn:")) ? null : resource.getIdElement().getIdPart();
	}

}
