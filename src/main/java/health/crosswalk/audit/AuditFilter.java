package health.crosswalk.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import health.crosswalk.server.Outcomes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes sure no FHIR or administrative response leaves without a durable audit record.
 *
 * <p>
 * Runs before Spring Security. HAPI's hooks record FHIR interactions with their details
 * before HAPI writes; for everything else (refused by security, the admin API, rejected
 * by a filter) the response body is held back until a record is committed. If it cannot
 * be, a successful response is replaced by 503.
 */
final class AuditFilter extends OncePerRequestFilter {

	/** Error bodies are short; a longer body is let through once recorded. */
	private static final int HOLD_LIMIT = 64 * 1024;

	private final Recorder trail;

	AuditFilter(Recorder trail) {
		this.trail = trail;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith("/admin")) {
			return false;
		}
		if (!path.startsWith("/fhir")) {
			return true;
		}
		// The CapabilityStatement and SMART configuration are public and hold no data.
		return path.startsWith("/fhir/.well-known") || path.equals("/fhir/metadata");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		AuditContext context = AuditContext.of(request);
		HoldingResponse holding = new HoldingResponse(response, context, request);
		try {
			chain.doFilter(request, holding);
		}
		finally {
			holding.finish();
		}
	}

	/**
	 * Holds the body back until the request is recorded.
	 */
	private final class HoldingResponse extends HttpServletResponseWrapper {

		private final AuditContext context;

		private final HttpServletRequest request;

		private final ByteArrayOutputStream held = new ByteArrayOutputStream();

		private HoldingStream stream;

		private PrintWriter writer;

		private boolean released;

		/**
		 * The response was replaced by a 503: what the application still writes is
		 * dropped.
		 */
		private boolean replaced;

		HoldingResponse(HttpServletResponse response, AuditContext context, HttpServletRequest request) {
			super(response);
			this.context = context;
			this.request = request;
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			if (this.writer != null) {
				throw new IllegalStateException("getWriter() has already been called");
			}
			if (this.stream == null) {
				if (durable()) {
					this.released = true;
					return super.getOutputStream();
				}
				this.stream = new HoldingStream();
			}
			return this.released ? super.getOutputStream() : this.stream;
		}

		@Override
		public PrintWriter getWriter() throws IOException {
			if (this.writer == null) {
				if (this.stream != null) {
					throw new IllegalStateException("getOutputStream() has already been called");
				}
				if (durable()) {
					this.released = true;
					this.writer = super.getWriter();
				}
				else {
					this.stream = new HoldingStream();
					this.writer = new PrintWriter(new OutputStreamWriter(this.stream, charset()));
				}
			}
			return this.writer;
		}

		@Override
		public void flushBuffer() throws IOException {
			release();
			super.flushBuffer();
		}

		@Override
		public void sendError(int status, String message) throws IOException {
			record(status, message);
			super.sendError(status, message);
		}

		@Override
		public void sendError(int status) throws IOException {
			record(status, null);
			super.sendError(status);
		}

		@Override
		public void sendRedirect(String location) throws IOException {
			record(302, null);
			super.sendRedirect(location);
		}

		void finish() throws IOException {
			if (this.writer != null && !this.released) {
				this.writer.flush();
			}
			release();
		}

		/** Whether the request's records are already committed. */
		private boolean durable() {
			return this.context.isRecorded()
					&& (this.context.committing() == null || this.context.committing().isDone());
		}

		/** Records the request unless HAPI's hooks did, and waits for the commit. */
		private boolean record(int status, String body) {
			if (this.context.isRecorded()) {
				return AuditFilter.this.trail.awaitCommitted(this.context);
			}
			return AuditFilter.this.trail.recordHttp(this.request, status, body);
		}

		private void release() throws IOException {
			if (this.released) {
				return;
			}
			this.released = true;
			int status = getStatus();
			boolean recorded = record(status, this.held.toString(charset()));
			if (!recorded && status < 400 && !isCommitted()) {
				// No record, no data.
				this.replaced = true;
				this.held.reset();
				super.reset();
				Outcomes.write((HttpServletResponse) getResponse(), AuditError.UNAVAILABLE.status(),
						AuditError.UNAVAILABLE.outcome("This request could not be recorded in the audit trail."));
				return;
			}
			if (this.held.size() > 0) {
				super.getOutputStream().write(this.held.toByteArray());
				this.held.reset();
			}
		}

		private Charset charset() {
			String encoding = getCharacterEncoding();
			return (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
		}

		/**
		 * Buffers until released, then writes straight through.
		 */
		private final class HoldingStream extends ServletOutputStream {

			@Override
			public void write(int b) throws IOException {
				if (HoldingResponse.this.replaced) {
					return;
				}
				if (HoldingResponse.this.released) {
					HoldingResponse.super.getOutputStream().write(b);
					return;
				}
				HoldingResponse.this.held.write(b);
				if (HoldingResponse.this.held.size() > HOLD_LIMIT) {
					release();
				}
			}

			@Override
			public void write(byte[] bytes, int offset, int length) throws IOException {
				if (HoldingResponse.this.replaced) {
					return;
				}
				if (HoldingResponse.this.released) {
					HoldingResponse.super.getOutputStream().write(bytes, offset, length);
					return;
				}
				HoldingResponse.this.held.write(bytes, offset, length);
				if (HoldingResponse.this.held.size() > HOLD_LIMIT) {
					release();
				}
			}

			/**
			 * Passes through once released; before, the bytes stay held (a writer's flush
			 * is no promise to the client), so an error body is recorded whole and a
			 * response whose record fails can still be replaced.
			 */
			@Override
			public void flush() throws IOException {
				if (HoldingResponse.this.released && !HoldingResponse.this.replaced) {
					HoldingResponse.super.getOutputStream().flush();
				}
			}

			@Override
			public void close() throws IOException {
				release();
				if (!HoldingResponse.this.replaced) {
					HoldingResponse.super.getOutputStream().close();
				}
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setWriteListener(WriteListener listener) {
				throw new UnsupportedOperationException("asynchronous writes are not used");
			}

		}

	}

	/**
	 * What the filter needs of the audit trail: the port {@link AuditTrail} fills.
	 */
	interface Recorder {

		/**
		 * Records a request that HAPI's hooks did not record, and marks its context
		 * recorded. Never throws.
		 * @param request the servlet request
		 * @param status the status being answered
		 * @param body the start of the response body, for an error's code and message
		 * @return false if the record could not be made durable
		 */
		boolean recordHttp(HttpServletRequest request, int status, String body);

		/**
		 * Waits until the records HAPI's hooks queued for a request are committed.
		 * @param context the request's context
		 * @return false if they could not be committed in time
		 */
		boolean awaitCommitted(AuditContext context);

	}

}
