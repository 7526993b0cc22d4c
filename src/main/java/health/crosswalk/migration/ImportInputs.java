package health.crosswalk.migration;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.migration.SourceRecords.SourceRecord;
import health.crosswalk.security.CrosswalkPrincipal;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;

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

	/** The longest one file may take to fetch. */
	static final Duration FETCH_DEADLINE = Duration.ofMinutes(10);

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
	public Map<String, List<SourceRecord>> read(int partitionId, String owner, List<ImportRequest.Input> inputs,
			BooleanSupplier going) {
		Map<String, List<SourceRecord>> files = new LinkedHashMap<>();
		long left = this.maxBytes;
		for (ImportRequest.Input input : inputs) {
			if (!going.getAsBoolean()) {
				break;
			}
			String name = input.url();
			List<SourceRecord> read;
			try {
				String text = (input.binaryId() != null) ? binary(partitionId, owner, input.binaryId(), left)
						: fetch(input.url(), left, going);
				left -= text.length();
				read = typed(this.records.readNdjson(name, new BufferedReader(new StringReader(text))), input);
			}
			catch (Unreadable | IOException ex) {
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
		Identifier context = binary.getSecurityContext().getIdentifier();
		if (CrosswalkPrincipal.REQUESTER_SYSTEM.equals(context.getSystem()) && !owner.equals(context.getValue())) {
			throw new Unreadable("Binary/" + id + " is a file of another requester's export");
		}
		byte[] data = binary.getData();
		if (data == null) {
			return "";
		}
		if (data.length > left) {
			throw new Unreadable("the import's files exceed crosswalk.import.max-bytes (" + this.maxBytes + " bytes)");
		}
		return text(data, left);
	}

	/**
	 * A file's text: gzip (recognised by its first bytes) is unpacked, within the bytes
	 * left, so that a small file cannot unpack into more than the import may hold.
	 */
	private String text(byte[] data, long left) throws Unreadable {
		if (data.length < 2 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b) {
			return new String(data, StandardCharsets.UTF_8);
		}
		ByteArrayOutputStream unpacked = new ByteArrayOutputStream();
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
			byte[] buffer = new byte[65536];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				if (unpacked.size() + (long) n > left) {
					throw new Unreadable("the import's files, unpacked, exceed crosswalk.import.max-bytes ("
							+ this.maxBytes + " bytes)");
				}
				unpacked.write(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			throw new Unreadable("the file looks like gzip but cannot be unpacked: " + ex.getMessage());
		}
		return unpacked.toString(StandardCharsets.UTF_8);
	}

	/**
	 * Fetches a file within the bytes left and {@link #FETCH_DEADLINE}, however slowly
	 * the server sends it.
	 */
	private String fetch(String url, long left, BooleanSupplier going) throws Unreadable {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofMinutes(1))
			.header("Accept", ImportRequest.NDJSON)
			.GET()
			.build();
		CompletableFuture<HttpResponse<byte[]>> response = this.http.sendAsync(request,
				(info) -> (info.statusCode() == 200) ? new Limited(left) : new Limited(0));
		long deadline = System.nanoTime() + FETCH_DEADLINE.toNanos();
		try {
			while (true) {
				try {
					HttpResponse<byte[]> answer = response.get(1, TimeUnit.SECONDS);
					if (answer.statusCode() != 200) {
						throw new Unreadable(url + " answered HTTP " + answer.statusCode());
					}
					return text(answer.body(), left);
				}
				catch (TimeoutException ex) {
					if (!going.getAsBoolean()) {
						throw new Unreadable("the import stopped while " + url + " was being fetched");
					}
					if (System.nanoTime() > deadline) {
						throw new Unreadable(
								"fetching " + url + " took longer than " + FETCH_DEADLINE.toMinutes() + " minutes");
					}
				}
			}
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof TooLarge) {
				throw new Unreadable(
						"the import's files exceed crosswalk.import.max-bytes (" + this.maxBytes + " bytes)");
			}
			throw new Unreadable("fetching " + url + " failed: " + cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unreadable("fetching " + url + " was interrupted");
		}
		finally {
			response.cancel(true);
		}
	}

	/** A body beyond its limit. */
	private static final class TooLarge extends IOException {

		TooLarge() {
			super("too large", null);
		}

	}

	/**
	 * Collects a response body up to a limit, and gives up (cancelling the exchange) past
	 * it. A body of a refused answer is read with a limit of 0: its first byte ends it.
	 */
	private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {

		private final long limit;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> body = new CompletableFuture<>();

		private Flow.Subscription subscription;

		Limited(long limit) {
			this.limit = limit;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				if (this.bytes.size() + (long) buffer.remaining() > this.limit) {
					this.subscription.cancel();
					if (this.limit == 0) {
						this.body.complete(new byte[0]);
					}
					else {
						this.body.completeExceptionally(new TooLarge());
					}
					return;
				}
				byte[] chunk = new byte[buffer.remaining()];
				buffer.get(chunk);
				this.bytes.writeBytes(chunk);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.body.complete(this.bytes.toByteArray());
		}

	}

}
