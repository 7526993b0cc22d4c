package health.crosswalk.audit;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.IQueryParameterOr;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Serves the audit trail as {@code AuditEvent}: read, search by what auditors ask (newest
 * first, offset paging), {@code $verify} and {@code $chain-head}. It replaces HAPI's JPA
 * provider for the type, so nothing can create, change or delete an AuditEvent through
 * the API.
 */
final class AuditEventProvider implements IResourceProvider {

	private final FhirContext fhir;

	private final AuditStore store;

	private final AuditChain chain;

	private final int defaultPageSize;

	private final int maxPageSize;

	AuditEventProvider(FhirContext fhir, AuditStore store, AuditChain chain, int defaultPageSize, int maxPageSize) {
		this.fhir = fhir;
		this.store = store;
		this.chain = chain;
		this.defaultPageSize = defaultPageSize;
		this.maxPageSize = maxPageSize;
	}

	@Override
	public Class<AuditEvent> getResourceType() {
		return AuditEvent.class;
	}

	@Read
	public AuditEvent read(@IdParam IdType id) {
		UUID uuid;
		try {
			uuid = UUID.fromString(id.getIdPart());
		}
		catch (IllegalArgumentException ex) {
			throw new ResourceNotFoundException(id);
		}
		return this.store.read(uuid).map(this::parse).orElseThrow(() -> new ResourceNotFoundException(id));
	}

	@Search(allowUnknownParams = false)
	public IBundleProvider search(@OptionalParam(name = "date") DateRangeParam date,
			@OptionalParam(name = "patient") ReferenceAndListParam patient,
			@OptionalParam(name = "agent") ReferenceAndListParam agent,
			@OptionalParam(name = "agent-name") StringAndListParam agentName,
			@OptionalParam(name = "altid") TokenAndListParam altid,
			@OptionalParam(name = "entity") ReferenceAndListParam entity,
			@OptionalParam(name = "type") TokenAndListParam type,
			@OptionalParam(name = "subtype") TokenAndListParam subtype,
			@OptionalParam(name = "action") TokenAndListParam action,
			@OptionalParam(name = "outcome") TokenAndListParam outcome,
			@OptionalParam(name = "source") ReferenceAndListParam source,
			@OptionalParam(name = "request-id") TokenAndListParam requestId, @Sort SortSpec sort, @Count Integer count,
			@Offset Integer offset, RequestDetails request) {
		AuditQuery query = new AuditQuery();
		if (date != null) {
			dates(query, date);
		}
		forEachOr(patient, (or) -> query.patientIn(references(or, "Patient")));
		forEachOr(agent, (or) -> query.agentsOverlap(references(or, null)));
		forEachOr(agentName, (or) -> query.agentsOverlap(values(or, (value) -> "name|" + text(value))));
		forEachOr(altid, (or) -> query.agentsOverlap(values(or, (value) -> "altid|" + token(value, false))));
		forEachOr(entity, (or) -> query.entitiesOverlap(references(or, null)));
		forEachOr(type, (or) -> query.typeIn(values(or, (value) -> token(value, true))));
		forEachOr(subtype, (or) -> query.subtypesOverlap(values(or, (value) -> token(value, true))));
		forEachOr(action, (or) -> query.actionIn(values(or, (value) -> action(token(value, false)))));
		forEachOr(outcome, (or) -> query.outcomeIn(values(or, (value) -> outcome(token(value, false)))));
		forEachOr(source, (or) -> query.sourceIn(values(or, (value) -> ((ReferenceParam) value).getIdPart())));
		forEachOr(requestId, (or) -> query.requestIdIn(values(or, (value) -> token(value, false))));
		if (sort != null) {
			if (!"date".equals(sort.getParamName()) || sort.getChain() != null) {
				throw invalid("AuditEvents sort by date only (_sort=date or _sort=-date), not '" + sort.getParamName()
						+ "'.");
			}
			if (sort.getOrder() != ca.uhn.fhir.rest.api.SortOrderEnum.DESC) {
				query.oldestFirst();
			}
		}
		int pageSize = (count == null || count <= 0) ? this.defaultPageSize : Math.min(count, this.maxPageSize);
		int from = (offset == null) ? 0 : Math.max(offset, 0);
		String[] summary = request.getParameters().get(Constants.PARAM_SUMMARY);
		boolean countOnly = summary != null && summary.length > 0 && "count".equals(summary[0]);
		String[] totalMode = request.getParameters().get(Constants.PARAM_SEARCH_TOTAL_MODE);
		boolean accurate = totalMode != null && totalMode.length > 0 && "accurate".equals(totalMode[0]);
		Integer total = (countOnly || accurate) ? (int) Math.min(this.store.count(query), Integer.MAX_VALUE) : null;
		List<IBaseResource> page = new ArrayList<>();
		boolean more = false;
		if (!countOnly) {
			List<String> rows = this.store.search(query, from, pageSize + 1);
			more = rows.size() > pageSize;
			for (String json : rows.subList(0, Math.min(rows.size(), pageSize))) {
				page.add(parse(json));
			}
		}
		return new Page(page, from, pageSize, more, total);
	}

	@Operation(name = "$verify", idempotent = true)
	public Parameters verify(@OperationParam(name = "from", max = 1) DateTimeType from,
			@OperationParam(name = "to", max = 1) DateTimeType to,
			@OperationParam(name = "anchor-position", max = 1) DecimalType anchorPosition,
			@OperationParam(name = "anchor-hash", max = 1) StringType anchorHash) {
		Instant start = (from != null && from.getValue() != null) ? from.getValue().toInstant() : null;
		Instant end = (to != null && to.getValue() != null) ? to.getValue().toInstant() : null;
		if (start != null && end != null && start.isAfter(end)) {
			throw AuditError.INVALID_RANGE
				.exception("from (" + from.getValueAsString() + ") is after to (" + to.getValueAsString() + ").");
		}
		if ((anchorPosition == null) != (anchorHash == null)) {
			throw AuditError.INVALID_RANGE
				.exception("anchor-position and anchor-hash go together; give both or neither.");
		}
		AuditChain.Anchor anchor = null;
		if (anchorPosition != null) {
			if (!anchorHash.getValue().matches("[0-9a-fA-F]{64}")) {
				throw AuditError.INVALID_RANGE
					.exception("anchor-hash must be 64 hexadecimal digits, as $chain-head returns it.");
			}
			anchor = new AuditChain.Anchor(anchorPosition.getValue().longValueExact(), anchorHash.getValue());
		}
		if (end == null) {
			// Records recorded after the question was asked are not part of it.
			end = Instant.now();
		}
		try {
			this.chain.sealCommitted();
			AuditChain.Verdict verdict = this.chain.verify(start, end, anchor);
			Parameters result = new Parameters();
			result.addParameter("result", verdict.result());
			result.addParameter().setName("checked").setValue(new DecimalType(verdict.checked()));
			if (verdict.firstPosition() != null) {
				result.addParameter().setName("first-position").setValue(new DecimalType(verdict.firstPosition()));
				result.addParameter().setName("last-position").setValue(new DecimalType(verdict.lastPosition()));
			}
			if (!verdict.intact()) {
				ParametersParameterComponent broken = result.addParameter().setName("broken");
				broken.addPart().setName("position").setValue(new DecimalType(verdict.broken().position()));
				if (verdict.broken().eventId() != null) {
					broken.addPart()
						.setName("event")
						.setValue(new Reference("AuditEvent/" + verdict.broken().eventId()));
				}
				broken.addPart().setName("reason").setValue(new StringType(verdict.broken().reason()));
			}
			result.addParameter().setName("unsealed").setValue(new DecimalType(verdict.unsealed()));
			if (verdict.archived() > 0) {
				result.addParameter().setName("archived").setValue(new DecimalType(verdict.archived()));
			}
			addHead(result, verdict.head());
			return result;
		}
		catch (AuditChain.KeyRequiredException ex) {
			throw AuditError.KEY_REQUIRED.exception(ex.getMessage());
		}
		catch (SQLException ex) {
			throw new InternalErrorException("The audit chain could not be read: " + ex.getMessage(), ex);
		}
	}

	@Operation(name = "$chain-head", idempotent = true)
	public Parameters chainHead() {
		try {
			this.chain.sealCommitted();
			Parameters result = new Parameters();
			addHead(result, this.chain.head());
			return result;
		}
		catch (SQLException ex) {
			throw new InternalErrorException("The audit chain could not be read: " + ex.getMessage(), ex);
		}
	}

	private static void addHead(Parameters result, AuditChain.Head head) {
		if (head == null) {
			return;
		}
		ParametersParameterComponent part = result.addParameter().setName("head");
		part.addPart().setName("position").setValue(new DecimalType(head.position()));
		part.addPart().setName("hash").setValue(new StringType(head.hash()));
		part.addPart().setName("algorithm").setValue(new StringType(head.algorithm()));
		part.addPart().setName("recorded").setValue(new InstantType(java.util.Date.from(head.eventRecorded())));
		part.addPart().setName("sealed").setValue(new InstantType(java.util.Date.from(head.sealedAt())));
	}

	private AuditEvent parse(String json) {
		IParser parser = this.fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
		return parser.parseResource(AuditEvent.class, json);
	}

	private static void dates(AuditQuery query, DateRangeParam date) {
		if (date.getLowerBound() != null && date.getLowerBoundAsInstant() != null) {
			boolean inclusive = date.getLowerBound().getPrefix() != ParamPrefixEnum.GREATERTHAN;
			query.recordedFrom(date.getLowerBoundAsInstant().getTime(), inclusive);
		}
		if (date.getUpperBound() != null && date.getUpperBoundAsInstant() != null) {
			boolean inclusive = date.getUpperBound().getPrefix() != ParamPrefixEnum.LESSTHAN;
			query.recordedTo(date.getUpperBoundAsInstant().getTime(), inclusive);
		}
	}

	private static <T extends IQueryParameterOr<?>> void forEachOr(ca.uhn.fhir.model.api.IQueryParameterAnd<T> and,
			java.util.function.Consumer<T> condition) {
		if (and != null) {
			for (T or : and.getValuesAsQueryTokens()) {
				condition.accept(or);
			}
		}
	}

	private static List<String> references(IQueryParameterOr<?> or, String impliedType) {
		return values(or, (value) -> {
			ReferenceParam reference = (ReferenceParam) value;
			if (reference.getChain() != null) {
				throw invalid("AuditEvent reference parameters take Type/id, not chains.");
			}
			String type = (reference.getResourceType() != null) ? reference.getResourceType() : impliedType;
			if (type == null || reference.getIdPart() == null || reference.getIdPart().isBlank()) {
				throw invalid(
						"Give the reference as Type/id (for example Patient/123), not '" + reference.getValue() + "'.");
			}
			return type + "/" + reference.getIdPart();
		});
	}

	private static <V> List<V> values(IQueryParameterOr<?> or, Function<IQueryParameterType, V> value) {
		List<V> values = new ArrayList<>();
		for (Object parameter : or.getValuesAsQueryTokens()) {
			values.add(value.apply((IQueryParameterType) parameter));
		}
		return values;
	}

	private static String token(IQueryParameterType value, boolean withSystem) {
		TokenParam token = (TokenParam) value;
		if (token.getModifier() != null || token.getValue() == null || token.getValue().isBlank()) {
			throw invalid("Token parameters take code or system|code, without modifiers.");
		}
		return (withSystem && token.getSystem() != null && !token.getSystem().isBlank())
				? token.getSystem() + "|" + token.getValue() : token.getValue();
	}

	private static String text(IQueryParameterType value) {
		return ((StringParam) value).getValue().toLowerCase(Locale.ROOT);
	}

	private static String action(String code) {
		if (!code.matches("[CRUDE]")) {
			throw invalid("action is one of C, R, U, D or E, not '" + code + "'.");
		}
		return code;
	}

	private static Integer outcome(String code) {
		if (!code.matches("0|4|8|12")) {
			throw invalid("outcome is one of 0, 4, 8 or 12, not '" + code + "'.");
		}
		return Integer.valueOf(code);
	}

	private static CrosswalkException invalid(String message) {
		return AuditError.INVALID_SEARCH.exception(message);
	}

	/**
	 * One page of results, with offset links when there are more.
	 */
	private static final class Page extends SimpleBundleProvider {

		private final boolean more;

		Page(List<IBaseResource> resources, int offset, int pageSize, boolean more, Integer total) {
			super(resources);
			this.more = more;
			setCurrentPageOffset(offset);
			setCurrentPageSize(pageSize);
			setSize(total);
		}

		@Override
		public String getNextPageId() {
			return this.more ? "next" : null;
		}

		@Override
		public String getPreviousPageId() {
			return (getCurrentPageOffset() > 0) ? "previous" : null;
		}

		@Override
		public boolean containsAllResources() {
			return false;
		}

	}

}
