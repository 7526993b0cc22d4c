package health.crosswalk.limits;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import health.crosswalk.server.Outcomes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses requests over the size limits before anything else reads them: more parameter
 * values, or longer ones, than allowed (query and form alike) with 400; bodies over the
 * limit with 413 before anything reads them: at once when the {@code Content-Length} says
 * so; a body without one (chunked) is read up to the limit first. A form post is read by
 * the container (whose own limit is set to the same size), and refused when it was too
 * large to read, instead of being handled without its parameters.
 */
final class RequestSizeFilter extends OncePerRequestFilter {

	/**
	 * Set by Tomcat, with why, when it could not read a request's parameters; other
	 * reasons than size are refused where parameters are checked.
	 */
	static final String PARAMETER_PARSE_FAILED_REASON = "org.apache.catalina.parameter_parse_failed_reason";

	private final long maxBytes;

	private final int maxParameters;

	private final int maxParameterLength;

	RequestSizeFilter(long maxBytes, int maxParameters, int maxParameterLength) {
		this.maxBytes = maxBytes;
		this.maxParameters = maxParameters;
		this.maxParameterLength = maxParameterLength;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBytes) {
			refuse(response, "The request body has " + declared + " bytes");
			return;
		}
		if (isForm(request)) {
			request.getParameterMap();
			Object reason = request.getAttribute(PARAMETER_PARSE_FAILED_REASON);
			if (reason != null && "POST_TOO_LARGE".equals(reason.toString())) {
				refuse(response, "The form body is larger than the limit");
				return;
			}
		}
		String parameterProblem = parameterProblem(request.getParameterMap());
		if (parameterProblem != null) {
			Outcomes.write(response, LimitError.TOO_MANY_PARAMETERS.status(),
					LimitError.TOO_MANY_PARAMETERS.outcome(parameterProblem));
			return;
		}
		if (isForm(request)) {
			chain.doFilter(request, response);
			return;
		}
		if (declared < 0 && hasBody(request)) {
			byte[] body = request.getInputStream().readNBytes((int) this.maxBytes + 1);
			if (body.length > this.maxBytes) {
				refuse(response,
						"The request body (sent without a Content-Length) has more than " + this.maxBytes + " bytes");
				return;
			}
			chain.doFilter(new BufferedBodyRequest(request, body), response);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * What is beyond the parameter limits, if anything.
	 * @param parameters the query's and form's parameters
	 * @return the problem, or null
	 */
	String parameterProblem(Map<String, String[]> parameters) {
		int count = 0;
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			count += parameter.getValue().length;
			for (String value : parameter.getValue()) {
				if (value.length() > this.maxParameterLength) {
					return "The value of the parameter '" + Outcomes.quote(parameter.getKey()) + "' has "
							+ value.length() + " characters; the limit is " + this.maxParameterLength
							+ " (crosswalk.limits.max-parameter-length).";
				}
			}
		}
		if (count > this.maxParameters) {
			return "The request has " + count + " parameter values; the limit is " + this.maxParameters
					+ " (crosswalk.limits.max-parameters).";
		}
		return null;
	}

	private void refuse(HttpServletResponse response, String what) throws IOException {
		// The client may still be sending: tell it not to reuse the connection.
		response.setHeader("Connection", "close");
		Outcomes.write(response, LimitError.BODY_TOO_LARGE.status(), LimitError.BODY_TOO_LARGE
			.outcome(what + "; the limit is " + this.maxBytes + " bytes (crosswalk.limits.max-body-size)."));
	}

	/**
	 * Whether Tomcat reads the body itself, under its form-post limit: a POST of exactly
	 * this media type. Any other request with a body (a PUT form, a near-miss type) is
	 * read here, under the same limit.
	 */
	private static boolean isForm(HttpServletRequest request) {
		String type = request.getContentType();
		if (!"POST".equals(request.getMethod()) || type == null) {
			return false;
		}
		try {
			MediaType media = MediaType.parseMediaType(type);
			return MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(media);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static boolean hasBody(HttpServletRequest request) {
		return request.getHeader("Transfer-Encoding") != null;
	}

	/**
	 * The request with its body already read.
	 */
	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			return new BufferedReader(new InputStreamReader(getInputStream(),
					(encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8));
		}

		@Override
		public ServletInputStream getInputStream() {
			InputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() throws IOException {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return this.available() == 0;
				}

				@Override
				public int available() {
					try {
						return in.available();
					}
					catch (IOException ex) {
						return 0;
					}
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("Blocking reads only");
				}

			};
		}

	}

}
