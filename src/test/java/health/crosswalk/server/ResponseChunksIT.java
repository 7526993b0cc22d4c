package health.crosswalk.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import health.crosswalk.CrosswalkIntegrationTest;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FHIR answers leave in pieces of Tomcat's buffer, not one per JSON value HAPI writes
 * (see {@link FlushAtEndFilter}). Read over a plain socket, to see the chunks.
 */
class ResponseChunksIT extends CrosswalkIntegrationTest {

	/** Tomcat's default response buffer. */
	private static final int BUFFER = 8192;

	/**
	 * Whether the audit filter holds a body until its record commits, or lets HAPI write
	 * straight through, depends on the commit's timing; only the second sends HAPI's
	 * flushes on, so each answer is asked for several times.
	 */
	@Test
	void answersLeaveWholeOrInBufferSizedChunks() throws IOException {
		Reference patient = newPatient(client());
		for (int i = 0; i < 30; i++) {
			newObservation(client(), patient);
		}
		for (int i = 0; i < 5; i++) {
			Answer read = get("/fhir/" + patient.getReference());
			assertThat(read.status()).isEqualTo(200);
			assertThat(read.headers()).contains("content-length:").doesNotContain("transfer-encoding");
			assertThat(read.body()).contains("\"resourceType\":\"Patient\"");

			Answer page = get("/fhir/Observation?subject=" + patient.getReference() + "&_count=50");
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.body().split("\"resourceType\":\"Observation\"", -1)).hasSize(31);
			int length = page.body().getBytes(StandardCharsets.UTF_8).length;
			assertThat(page.chunks()).as("chunks of a %d-byte page", length).isLessThanOrEqualTo(length / BUFFER + 2);
		}
	}

	private Answer get(String path) throws IOException {
		URI server = URI.create(serverUrl());
		try (Socket socket = new Socket(server.getHost(), server.getPort())) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + server.getHost() + "\r\nAuthorization: Bearer "
					+ hospital().key() + "\r\nAccept: application/fhir+json\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return Answer.read(socket.getInputStream());
		}
	}

	private record Answer(int status, String headers, String body, int chunks) {

		static Answer read(InputStream in) throws IOException {
			String head = line(in);
			int status = Integer.parseInt(head.split(" ")[1]);
			StringBuilder headers = new StringBuilder();
			for (String line = line(in); !line.isEmpty(); line = line(in)) {
				headers.append(line.toLowerCase(Locale.ROOT)).append('\n');
			}
			if (!headers.toString().contains("transfer-encoding: chunked")) {
				return new Answer(status, headers.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8), 1);
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			int chunks = 0;
			for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(),
					16)) {
				body.write(in.readNBytes(size));
				line(in);
				chunks++;
			}
			return new Answer(status, headers.toString(), body.toString(StandardCharsets.UTF_8), chunks);
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder();
			for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

	}

}
