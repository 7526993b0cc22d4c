package health.crosswalk.migration;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.sun.net.httpserver.HttpServer;
import health.crosswalk.migration.SourceRecords.SourceRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files of an import fetched from an allowed location, without Spring or a database.
 */
class ImportInputsTest {

	private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}";

	private HttpServer server;

	private String base;

	@BeforeEach
	void serve() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/export/Patient.ndjson", (exchange) -> answer(exchange, 200, PATIENT + "\n\n"
				+ PATIENT.replace("p1", "p2") + "\n{\"resourceType\":\"Observation\",\"id\":\"o1\"}\n"));
		this.server.createContext("/export/big.ndjson", (exchange) -> answer(exchange, 200, "x".repeat(5000)));
		this.server.createContext("/export/Patient.ndjson.gz",
				(exchange) -> answer(exchange, 200, gzip(PATIENT + "\n" + PATIENT.replace("p1", "p3"))));
		this.server.createContext("/export/bomb.ndjson.gz",
				(exchange) -> answer(exchange, 200, gzip(" ".repeat(100_000))));
		this.server.createContext("/export/stalled.ndjson", (exchange) -> {
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			answer(exchange, 200, PATIENT);
		});
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task);
			thread.setDaemon(true);
			return thread;
		}));
		this.server.createContext("/export/moved.ndjson", (exchange) -> {
			exchange.getResponseHeaders().add("Location", "http://169.254.169.254/");
			answer(exchange, 302, "");
		});
		this.server.start();
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/export/";
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void aFileIsReadLineByLineAndWhatCannotBeReadIsOneRefusedRecord() {
		ImportInputs inputs = new ImportInputs(null, new SourceRecords(FhirContext.forR4Cached()), 1000);
		Map<String, List<SourceRecord>> files = inputs.read(1, "owner",
				List.of(new ImportRequest.Input("Patient", this.base + "Patient.ndjson"),
						new ImportRequest.Input("Patient", this.base + "missing.ndjson"),
						new ImportRequest.Input(null, this.base + "moved.ndjson"),
						new ImportRequest.Input(null, this.base + "big.ndjson")),
				() -> true);
		List<SourceRecord> patients = files.get(this.base + "Patient.ndjson");
		assertThat(patients).extracting(SourceRecord::position).containsExactly(1, 3, 4);
		assertThat(patients.get(0).id()).isEqualTo("p1");
		assertThat(patients.get(0).problem()).isNull();
		assertThat(patients.get(2).problem()).isEqualTo("Observation/o1 is in an input whose type is Patient");
		assertThat(patients.get(2).id()).isNull();
		assertThat(files.get(this.base + "missing.ndjson")).singleElement()
			.satisfies((record) -> assertThat(record.problem()).contains("answered HTTP 404"));
		assertThat(files.get(this.base + "moved.ndjson")).singleElement()
			.satisfies((record) -> assertThat(record.problem()).contains("answered HTTP 302"));
		assertThat(files.get(this.base + "big.ndjson")).singleElement()
			.satisfies((record) -> assertThat(record.problem()).contains("crosswalk.import.max-bytes"));
	}

	@Test
	void gzipIsUnpackedWithinTheImportsBytes() {
		ImportInputs inputs = new ImportInputs(null, new SourceRecords(FhirContext.forR4Cached()), 10_000);
		Map<String, List<SourceRecord>> files = inputs.read(1, "owner",
				List.of(new ImportRequest.Input("Patient", this.base + "Patient.ndjson.gz"),
						new ImportRequest.Input("Patient", this.base + "bomb.ndjson.gz")),
				() -> true);
		assertThat(files.get(this.base + "Patient.ndjson.gz")).extracting(SourceRecord::id).containsExactly("p1", "p3");
		assertThat(files.get(this.base + "bomb.ndjson.gz")).singleElement()
			.satisfies((record) -> assertThat(record.problem()).contains("unpacked, exceed"));
	}

	@Test
	void aFileThatDoesNotComeStopsWithTheImport() {
		ImportInputs inputs = new ImportInputs(null, new SourceRecords(FhirContext.forR4Cached()), 1000);
		AtomicInteger asked = new AtomicInteger();
		long start = System.nanoTime();
		Map<String, List<SourceRecord>> files = inputs.read(1, "owner",
				List.of(new ImportRequest.Input(null, this.base + "stalled.ndjson"),
						new ImportRequest.Input(null, this.base + "Patient.ndjson")),
				() -> asked.incrementAndGet() <= 2);
		assertThat(files.get(this.base + "stalled.ndjson")).singleElement()
			.satisfies((record) -> assertThat(record.problem()).contains("the import stopped"));
		// The files after it are not read.
		assertThat(files).doesNotContainKey(this.base + "Patient.ndjson");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void aBusyServerIsWaitedForAndARefusalIsNot() {
		AtomicInteger calls = new AtomicInteger();
		FhirImport.Server busyTwice = (transaction) -> {
			if (calls.incrementAndGet() <= 2) {
				throw new BaseServerResponseException(429, "busy") {
				};
			}
			return new Bundle();
		};
		assertThat(ImportWorker.waitingOutBusy(busyTwice, new AtomicBoolean(true)).transaction(new Bundle()))
			.isNotNull();
		assertThat(calls).hasValue(3);
		FhirImport.Server refusing = (transaction) -> {
			calls.incrementAndGet();
			throw new UnprocessableEntityException("no");
		};
		calls.set(0);
		assertThatThrownBy(
				() -> ImportWorker.waitingOutBusy(refusing, new AtomicBoolean(true)).transaction(new Bundle()))
			.isInstanceOf(UnprocessableEntityException.class);
		assertThat(calls).hasValue(1);
		FhirImport.Server failing = (transaction) -> {
			throw new InternalErrorException("down");
		};
		assertThatThrownBy(
				() -> ImportWorker.waitingOutBusy(failing, new AtomicBoolean(true)).transaction(new Bundle()))
			.isInstanceOf(InternalErrorException.class);
		// A cancelled job sends nothing more.
		calls.set(0);
		assertThatThrownBy(
				() -> ImportWorker.waitingOutBusy(busyTwice, new AtomicBoolean(false)).transaction(new Bundle()))
			.hasMessageContaining("cancelled");
		assertThat(calls).hasValue(0);
	}

	private static byte[] gzip(String text) {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

	private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] bytes)
			throws IOException {
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
			throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
