package health.crosswalk.storage;

import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IBaseInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.entity.ResourceEncodingEnum;
import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A read by id answered with the resource's stored JSON, HAPI's encoding of its id and
 * meta in front, instead of HAPI encoding the whole resource it has just parsed from that
 * JSON.
 *
 * <p>
 * Why: HAPI JPA stores each version as the JSON its own encoder wrote, without the id and
 * without the meta elements it keeps in columns (version, last updated, source). A read
 * parses that text and encodes the resource again: the encoding alone was 10.6 % of a
 * read by id's CPU samples in the benchmark (run AN). Encoding what HAPI parsed from its
 * own encoder's output gives back the same text, so here the response is HAPI's encoding
 * of a resource holding only the read one's id and meta, followed by the stored text's
 * elements after its meta: the same bytes. {@code StoredTextReadsIT} holds this to HAPI's
 * encoding of up to 40 resources of each type of a Synthea feed, byte for byte.
 *
 * <p>
 * It answers only where nothing else could change the bytes: a read by id (not by
 * version) without parameters, answered 200 in JSON without pretty printing, of the
 * resource whose text {@link CurrentVersionReads} loaded in this request (same type, id,
 * version and partition), stored as JSON text, with no reference or extension URL the
 * server's base would rewrite, no narrative generator, and not a Patient (linkage adds
 * its links as it is shown), Binary, Bundle or Parameters. Every hook that sees a
 * resource shown must be one known not to change such a resource ({@link #KNOWN}),
 * checked once at the first read; with any other, HAPI encodes every read. Headers (ETag,
 * Last-Modified, Content-Type, gzip) are HAPI's, from the resource holding the id and
 * meta, which takes the read one's place after the audit record has seen it.
 */
final class StoredTextReads {

	private static final Logger log = LoggerFactory.getLogger(StoredTextReads.class);

	/** The text {@link CurrentVersionReads} loaded last on this thread. */
	private static final ThreadLocal<Stored> LOADED = new ThreadLocal<>();

	/** Where a response's text waits between the two hooks. */
	private static final String ANSWER = StoredTextReads.class.getName() + ".answer";

	private static final Set<String> EXCLUDED_TYPES = Set.of("Patient", "Binary", "Bundle", "Parameters");

	/** The pointcuts at which a hook could change a resource before it is encoded. */
	static final Set<Pointcut> SHOWING = EnumSet.of(Pointcut.STORAGE_PRESHOW_RESOURCES,
			Pointcut.STORAGE_PREACCESS_RESOURCES, Pointcut.SERVER_OUTGOING_RESPONSE,
			Pointcut.SERVER_OUTGOING_WRITER_CREATED, Pointcut.SERVER_OUTGOING_GRAPHQL_RESPONSE,
			Pointcut.SERVER_OUTGOING_FAILURE_OPERATIONOUTCOME);

	/**
	 * The hook objects known to leave a read resource of the types answered here as
	 * loaded: security, and the export's owners for its files, withhold what the caller
	 * may not see without changing it; linkage changes Patients only; its sharing and the
	 * error outcomes change Bundles only; the audit trail reads.
	 */
	static final Set<String> KNOWN = Set.of("health.crosswalk.security.FhirStorageHooks",
			"health.crosswalk.bulk.ExportHooks", "health.crosswalk.linkage.LinkageHooks",
			"health.crosswalk.linkage.SharingHooks", "health.crosswalk.server.ErrorOutcomes",
			"health.crosswalk.audit.AuditHooks$Rest", StoredTextReads.class.getName());

	private final FhirContext context;

	private final Supplier<List<IBaseInterceptorService<?>>> services;

	private volatile Boolean enabled;

	private final LongAdder answered = new LongAdder();

	/**
	 * @param context the server's FHIR context
	 * @param services the interceptor services whose hooks are checked at the first read
	 */
	StoredTextReads(FhirContext context, Supplier<List<IBaseInterceptorService<?>>> services) {
		this.context = context;
		this.services = services;
	}

	/** How many reads were answered with their stored text since start. */
	long answered() {
		return this.answered.sum();
	}

	/**
	 * Notes the text of a resource loaded with its current version, for the response to
	 * this request, in a read-only transaction only (a read by id or version,
	 * {@link ReadOnlyReads}): a write's reads of what it changes cost nothing here.
	 * @param partitionId the partition it was read in
	 * @param resource the row, with its current version if loaded
	 */
	static void loaded(int partitionId, ResourceTable resource) {
		if (!TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			// A write's read of what it changes: nothing here answers it.
			return;
		}
		ResourceHistoryTable version = resource.getCurrentVersionEntity();
		if (version == null || version.getResourceTextVc() == null
				|| (version.getEncoding() != ResourceEncodingEnum.JSON
						&& version.getEncoding() != ResourceEncodingEnum.JSONC)
				|| EXCLUDED_TYPES.contains(resource.getResourceType())) {
			LOADED.remove();
			return;
		}
		LOADED.set(new Stored(partitionId, resource.getResourceType(), resource.getFhirId(), version.getVersion(),
				version.getResourceTextVc()));
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED, order = Pipeline.STORED_TEXT)
	boolean incoming() {
		LOADED.remove();
		return true;
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = Pipeline.STORED_TEXT)
	boolean outgoing(RequestDetails request, ResponseDetails response) {
		Stored stored = LOADED.get();
		if (stored != null) {
			LOADED.remove();
			answer(request, response, stored);
		}
		return true;
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_WRITER_CREATED, order = Pipeline.STORED_TEXT)
	Writer writer(Writer writer, RequestDetails request) {
		Object answer = request.getUserData().remove(ANSWER);
		return (answer instanceof Answer text) ? new AnswerWriter(writer, text, request) : null;
	}

	private void answer(RequestDetails request, ResponseDetails response, Stored stored) {
		if (request.getRestOperationType() != RestOperationTypeEnum.READ || !request.getParameters().isEmpty()
				|| response.getResponseCode() != 200 || !(response.getResponseResource() instanceof Resource resource)
				|| !stored.isOf(resource) || this.context.getNarrativeGenerator() != null
				|| RestfulServerUtils.prettyPrintResponse(request.getServer(), request)
				|| RestfulServerUtils.determineResponseEncodingWithDefault(request).getEncoding() != EncodingEnum.JSON
				|| !enabled()) {
			return;
		}
		String base = request.getFhirServerBase();
		if (base == null || base.isEmpty() || stored.text().contains(base) || stored.text().contains("\"url\":\"/")) {
			return;
		}
		int rest = rest(stored.text(), stored.type());
		if (rest < 0) {
			return;
		}
		Resource head = (Resource) this.context.getResourceDefinition(stored.type()).newInstance();
		head.setIdElement(resource.getIdElement());
		head.setMeta(resource.getMeta());
		request.getUserData().put(ANSWER, new Answer(resource, stored.text(), rest));
		response.setResponseResource(head);
	}

	/**
	 * Where the stored text's elements after its resource type and meta begin (at a
	 * comma, or at its closing brace), or -1 if it is not shaped as HAPI stores a
	 * resource of this type.
	 * @param text the stored JSON
	 * @param type its resource type
	 * @return the index, or -1
	 */
	static int rest(String text, String type) {
		String prefix = prefix(type);
		if (!text.startsWith(prefix)) {
			return -1;
		}
		int at = prefix.length();
		if (text.startsWith(",\"id\":", at)) {
			return -1;
		}
		if (text.startsWith(",\"meta\":{", at)) {
			int end = endOfObject(text, at + 8);
			if (end < 0) {
				return -1;
			}
			at = end + 1;
		}
		if (at >= text.length() || !(text.charAt(at) == ',' || at == text.length() - 1 && text.charAt(at) == '}')) {
			return -1;
		}
		return at;
	}

	private static String prefix(String type) {
		return "{\"resourceType\":\"" + type + "\"";
	}

	/** The index of the brace closing the object opened at {@code open}, or -1. */
	static int endOfObject(String text, int open) {
		int depth = 0;
		boolean inString = false;
		for (int i = open; i < text.length(); i++) {
			char c = text.charAt(i);
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
				}
			}
			else if (c == '"') {
				inString = true;
			}
			else if (c == '{' || c == '[') {
				depth++;
			}
			else if (c == '}' || c == ']') {
				depth--;
				if (depth == 0) {
					return (c == '}') ? i : -1;
				}
			}
		}
		return -1;
	}

	private boolean enabled() {
		Boolean known = this.enabled;
		if (known == null) {
			List<String> unknown = unknownHooks(this.services.get());
			known = unknown.isEmpty();
			if (!known) {
				log.warn("Reads by id are encoded by HAPI, not answered with their stored text: hooks of {} may "
						+ "change a resource shown (health.crosswalk.storage.StoredTextReads)", unknown);
			}
			this.enabled = known;
		}
		return known;
	}

	/**
	 * The classes of registered hook objects that hook where a resource shown could be
	 * changed, and are not known not to.
	 * @param services the interceptor services
	 * @return their names, empty if none
	 */
	static List<String> unknownHooks(List<IBaseInterceptorService<?>> services) {
		List<String> unknown = new ArrayList<>();
		for (IBaseInterceptorService<?> service : services) {
			for (Object interceptor : service.getAllRegisteredInterceptors()) {
				String name = interceptor.getClass().getName();
				if (!KNOWN.contains(name) && hooksShowing(interceptor.getClass()) && !unknown.contains(name)) {
					unknown.add(name);
				}
			}
		}
		return unknown;
	}

	private static boolean hooksShowing(Class<?> type) {
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Method method : current.getDeclaredMethods()) {
				Hook hook = method.getAnnotation(Hook.class);
				if (hook != null && SHOWING.contains(hook.value())) {
					return true;
				}
			}
		}
		return false;
	}

	private record Stored(int partitionId, String type, String id, long version, String text) {

		boolean isOf(Resource resource) {
			if (!this.type.equals(resource.fhirType()) || !this.id.equals(resource.getIdElement().getIdPart())
					|| !String.valueOf(this.version).equals(resource.getIdElement().getVersionIdPart())) {
				return false;
			}
			RequestPartitionId partition = RequestPartitionId.getPartitionIfAssigned(resource).orElse(null);
			return partition != null && partition.hasPartitionIds() && partition.getPartitionIds().size() == 1
					&& Integer.valueOf(this.partitionId).equals(partition.getFirstPartitionIdOrNull());
		}

	}

	/**
	 * What the response is made of: the read resource, its stored text and where the
	 * text's elements after its meta begin.
	 */
	private record Answer(Resource resource, String text, int rest) {
	}

	/**
	 * Takes the place of HAPI's writer for the response: keeps what HAPI's parser writes
	 * (the head: resource type, id and meta) and, when closed, writes the head without
	 * its closing brace and the stored text's elements after its meta to HAPI's writer,
	 * and closes it. A head not shaped as expected is dropped and HAPI's parser encodes
	 * the read resource itself.
	 */
	private final class AnswerWriter extends Writer {

		private final Writer target;

		private final Answer answer;

		private final StringBuilder head = new StringBuilder(256);

		private boolean closed;

		private final RequestDetails request;

		AnswerWriter(Writer target, Answer answer, RequestDetails request) {
			this.request = request;
			this.target = target;
			this.answer = answer;
		}

		@Override
		public void write(char[] buffer, int offset, int length) {
			this.head.append(buffer, offset, length);
		}

		@Override
		public void write(String text, int offset, int length) {
			this.head.append(text, offset, offset + length);
		}

		@Override
		public void write(int c) {
			this.head.append((char) c);
		}

		@Override
		public void flush() {
			// Nothing is written before the answer is whole.
		}

		@Override
		public void close() throws IOException {
			if (this.closed) {
				return;
			}
			this.closed = true;
			try (Writer out = this.target) {
				Answer answer = this.answer;
				int length = this.head.length();
				if (length > 1 && this.head.charAt(length - 1) == '}'
						&& this.head.indexOf(prefix(answer.resource().fhirType())) == 0) {
					out.append(this.head, 0, length - 1);
					out.write(answer.text(), answer.rest(), answer.text().length() - answer.rest());
					StoredTextReads.this.answered.increment();
				}
				else {
					RestfulServerUtils.getNewParser(StoredTextReads.this.context, FhirVersionEnum.R4, this.request)
						.encodeResourceToWriter(answer.resource(), out);
				}
			}
		}

	}

}
