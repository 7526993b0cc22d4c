package health.crosswalk.migration;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.migration.SourceRecords.SourceRecord;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;

/**
 * Reads the files of an import: Binaries of the requester's hospital, read in its
 * partition, or NDJSON fetched from an allowed location (no redirects followed), within a
 * budget of bytes per import. A file that cannot be read becomes one refused record with
 * the reason, and the other files are imported.
 */
final class ImportInputs implements ImportWorker.Files {

	/** A file that could not be read, with the reason. */
	static final class Unreadable extends Exception {

		Unreadable(String reason) {
			super(reason, null, false, false);
		}

	}

	private final IFhirResourceDao<Binary> binaries;

	private final HttpClient http;

	private final SourceRecords records;

	private final long maxBytes;

	ImportInputs(IFhirResourceDao<Binary> binaries, SourceRecords records, long maxBytes) {
		this.binaries = binaries;
		this.records = records;
		this.maxBytes = maxBytes;
		this.http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	@Override
	public Map<String, List<SourceRecord>> read(int partitionId, String owner, List<ImportRequest.Input> inputs) {
		Map<String, List<SourceRecord>> files = new LinkedHashMap<>();
		long left = this.maxBytes;
		for (ImportRequest.Input input : inputs) {
			String name = input.url();
			List<SourceRecord> read;
			try {
				String text = (input.binaryId() != null) ? binary(partitionId, owner, input.binaryId(), left)
						: fetch(input.url(), left);
				left -= text.getBytes(StandardCharsets.UTF_8).length;
				read = typed(this.records.readNdjson(name, new BufferedReader(new StringReader(text))), input);
			}
			catch (Unreadable ex) {
				read = List.of(new SourceRecord(name, 0, null, null, input.type(), null,
						"the file could not be read: " + ex.getMessage()));
			}
			catch (IOException ex) {
				read = List.of(new SourceRecord(name, 0, null, null, input.type(), null,
						"the file could not be read: " + ex.getMessage()));
			}
			files.merge(name, read, (a, b) -> {
				List<SourceRecord> both = new ArrayList<>(a);
				both.addAll(b);
				return both;
			});
		}
		return files;
	}

	/** Records of another type than their input says are refused. */
	private static List<SourceRecord> typed(List<SourceRecord> read, ImportRequest.Input input) {
		if (input.type() == null) {
			return read;
		}
		List<SourceRecord> checked = new ArrayList<>(read.size());
		for (SourceRecord record : read) {
			if (record.problem() == null && !input.type().equals(record.type())) {
				// Left without its id, so a record of that id elsewhere is not refused.
				checked.add(new SourceRecord(record.file(), record.position(), null, null, record.type(), null,
						record.type() + "/" + record.id() + " is in an input whose type is " + input.type()));
			}
			else {
				checked.add(record);
			}
		}
		return checked;
	}

	private String binary(int partitionId, String owner, String id, long left) throws Unreadable {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRequestPartitionId(RequestPartitionId.fromPartitionId(partitionId));
		Binary binary;
		try {
			binary = this.binaries.read(new IdType("Binary", id), request);
		}
		catch (ResourceNotFoundException | ResourceGoneException ex) {
			throw new Unreadable("your hospital has no Binary/" + id);
		}
		if (binary.hasSecurityContext() && !owner.equals(binary.getSecurityContext().getIdentifier().getValue())) {
			throw new Unreadable("Binary/" + id + " is another requester's file");
		}
		byte[] data = binary.getData();
		if (data == null) {
			return "";
		}
		if (data.length > left) {
			throw new Unreadable("the import's files exceed crosswalk.import.max-bytes (" + this.maxBytes + " bytes)");
		}
		return new String(data, StandardCharsets.UTF_8);
	}

	private String fetch(String url, long left) throws Unreadable {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofMinutes(10))
			.header("Accept", ImportRequest.NDJSON)
			.GET()
			.build();
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				if (response.statusCode() != 200) {
					throw new Unreadable(url + " answered HTTP " + response.statusCode());
				}
				ByteArrayOutputStream bytes = new ByteArrayOutputStream();
				byte[] buffer = new byte[65536];
				for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
					if (bytes.size() + (long) n > left) {
						throw new Unreadable(
								"the import's files exceed crosswalk.import.max-bytes (" + this.maxBytes + " bytes)");
					}
					bytes.write(buffer, 0, n);
				}
				return bytes.toString(StandardCharsets.UTF_8);
			}
		}
		catch (IOException ex) {
			throw new Unreadable("fetching " + url + " failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unreadable("fetching " + url + " was interrupted");
		}
	}

}
