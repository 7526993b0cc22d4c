package health.crosswalk.server;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class FlushAtEndFilterTest {

	@Test
	void aWritersFlushesWaitForItsClose() throws Exception {
		MockHttpServletResponse response = respond((servletResponse) -> {
			PrintWriter writer = servletResponse.getWriter();
			assertThat(servletResponse.getWriter()).isSameAs(writer);
			writer.write("{\"a\":");
			writer.flush();
			writer.print(1.5);
			writer.flush();
			assertThat(servletResponse.isCommitted()).as("committed by a flush").isFalse();
			writer.write("}");
			writer.close();
			assertThat(servletResponse.isCommitted()).as("committed by the close").isTrue();
		});
		assertThat(response.getContentAsString()).isEqualTo("{\"a\":1.5}");
	}

	@Test
	void aStreamsFlushesWaitForItsCloseAndFlushBufferStillCommits() throws Exception {
		MockHttpServletResponse response = respond((servletResponse) -> {
			ServletOutputStream stream = servletResponse.getOutputStream();
			assertThat(servletResponse.getOutputStream()).isSameAs(stream);
			stream.write('x');
			stream.write(new byte[] { 'y', 'z' }, 0, 2);
			stream.flush();
			assertThat(servletResponse.isCommitted()).as("committed by a flush").isFalse();
			assertThat(stream.isReady()).isTrue();
			servletResponse.flushBuffer();
			assertThat(servletResponse.isCommitted()).as("committed by flushBuffer").isTrue();
			stream.close();
		});
		assertThat(response.getContentAsString()).isEqualTo("xyz");
	}

	/** Runs the filter before an application that writes as the body says. */
	private static MockHttpServletResponse respond(Body body) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		new FlushAtEndFilter().doFilter(new MockHttpServletRequest("GET", "/fhir/Patient/1"), response,
				new MockFilterChain(new HttpServlet() {
					@Override
					protected void service(HttpServletRequest request, HttpServletResponse servletResponse)
							throws IOException {
						body.write(servletResponse);
					}
				}));
		return response;
	}

	@FunctionalInterface
	private interface Body {

		void write(HttpServletResponse response) throws IOException;

	}

}
