package health.crosswalk.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import health.crosswalk.CrosswalkIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries as FHIR writes them, with a raw {@code |} between system and code: sent over a
 * socket, since Java's URI would escape it.
 */
class QueryCharactersIT extends CrosswalkIntegrationTest {

	@Test
	void aTokenSearchWithARawBarIsAnswered() throws IOException {
		String response = get("/fhir/Observation?code=http://loinc.org|8867-4&_count=1");
		assertThat(response).startsWith("HTTP/1.1 200").contains("\"resourceType\":\"Bundle\"");
	}

	@Test
	void pixWithARawBarAnswersFhirNotTomcatsPage() throws IOException {
		String response = get("/fhir/Patient/$ihe-pix?sourceIdentifier=" + hospital().mrnSystem() + "|nobody");
		assertThat(response).startsWith("HTTP/1.1 404")
			.contains("\"resourceType\":\"OperationOutcome\"")
			.doesNotContain("<html");
	}

	private String get(String target) throws IOException {
		try (Socket socket = new Socket("localhost", URI.create(serverUrl()).getPort())) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + hospital().key()
					+ "\r\nAccept: application/fhir+json\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.setSoTimeout(30_000);
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
