package health.crosswalk.storage;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * HAPI's R4 search-parameter extractor, its FHIRPath expressions parsed once and kept in
 * a plain map, and evaluated by an engine that keeps the core type definitions it looks
 * up. HAPI's extractor keeps parsed expressions in an expiring cache, and its engine asks
 * its worker context, through another expiring cache, for the type definition of every
 * resource an expression starts from (and of each of its base types): each lookup pays
 * for the cache's bookkeeping, 3.7 % of an ingest's CPU samples.
 *
 * <p>
 * The engine here has no host services. HAPI's answer no constant and no function and
 * resolve a reference to a stub of its type; an expression that could reach them
 * ({@code resolve()}, a {@code %} constant, {@code conformsTo}, {@code memberOf},
 * {@code trace}), or that does not parse, is left to HAPI's own engine. Every other
 * expression evaluates as in HAPI's: same engine, same model, the same definitions.
 * Definitions are kept only from the core namespace ({@value #CORE}), the specification's
 * own, and a change to one at runtime is not seen until restart; at most
 * {@value #MOST_KEPT} expressions and definitions are kept, beyond which HAPI's path
 * answers.
 */
class KeptFhirPaths extends SearchParamExtractorR4 {

	static final String CORE = "http://hl7.org/fhir/StructureDefinition/";

	static final int MOST_KEPT = 10_000;

	private static final List<String> NEEDS_HOST = List.of("resolve(", "%", "conformsTo(", "memberOf(", "trace(");

	private final Map<String, Optional<ExpressionNode>> parsed = new ConcurrentHashMap<>();

	// Set by initFhirPath, which HAPI's constructors call before this class's fields are
	// assigned: no initializer.
	private FHIRPathEngine engine;

	KeptFhirPaths() {
	}

	/**
	 * An extractor made outside Spring, for tests.
	 */
	KeptFhirPaths(StorageSettings storageSettings, PartitionSettings partitionSettings, FhirContext fhirContext,
			ISearchParamRegistry searchParams) {
		super(storageSettings, partitionSettings, fhirContext, searchParams);
	}

	@Override
	public void initFhirPath() {
		super.initFhirPath();
		this.engine = new FHIRPathEngine(
				keptDefinitions(new HapiWorkerContext(getContext(), getContext().getValidationSupport())));
	}

	@Override
	public IValueExtractor getPathValueExtractor(IBase resource, String path) {
		Optional<ExpressionNode> expression = this.parsed.get(path);
		if (expression == null) {
			if (this.parsed.size() >= MOST_KEPT) {
				return super.getPathValueExtractor(resource, path);
			}
			expression = parse(path);
			this.parsed.putIfAbsent(path, expression);
		}
		if (expression.isEmpty()) {
			return super.getPathValueExtractor(resource, path);
		}
		ExpressionNode node = expression.get();
		Base base = (Base) resource;
		return () -> this.engine.evaluate(resource, base, base, base, node);
	}

	/**
	 * @return how many expressions this engine evaluates; HAPI's engine the others
	 */
	long keptExpressions() {
		return this.parsed.values().stream().filter(Optional::isPresent).count();
	}

	private Optional<ExpressionNode> parse(String path) {
		for (String host : NEEDS_HOST) {
			if (path.contains(host)) {
				return Optional.empty();
			}
		}
		try {
			return Optional.of(this.engine.parse(path));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * A worker context that keeps the core type definitions the engine looks up, by type
	 * and by URL, and answers a lookup by no URL (the base of {@code Resource}, which the
	 * engine asks for whenever it climbs the type hierarchy to its root) with none, as
	 * HAPI's does; every other call goes to the given one.
	 * @param worker HAPI's worker context
	 * @return the worker context
	 */
	static IWorkerContext keptDefinitions(IWorkerContext worker) {
		Map<String, StructureDefinition> byType = new ConcurrentHashMap<>();
		Map<String, StructureDefinition> byUrl = new ConcurrentHashMap<>();
		return (IWorkerContext) Proxy.newProxyInstance(KeptFhirPaths.class.getClassLoader(),
				new Class<?>[] { IWorkerContext.class }, (proxy, method, args) -> {
					Map<String, StructureDefinition> kept = keptFor(method, args, byType, byUrl);
					if (kept == null) {
						return Delegation.invoke(worker, method, args);
					}
					String name = (String) args[args.length == 1 ? 0 : 1];
					if (name == null) {
						// The base of Resource, the root: none, as HAPI's says.
						return null;
					}
					StructureDefinition definition = kept.get(name);
					if (definition == null) {
						definition = (StructureDefinition) Delegation.invoke(worker, method, args);
						if (definition != null && definition.getUrl() != null && definition.getUrl().startsWith(CORE)
								&& kept.size() < MOST_KEPT) {
							kept.putIfAbsent(name, definition);
						}
					}
					return definition;
				});
	}

	/**
	 * Where a lookup of a structure definition by type or by URL is kept, or null for any
	 * other call.
	 */
	private static Map<String, StructureDefinition> keptFor(Method method, Object[] args,
			Map<String, StructureDefinition> byType, Map<String, StructureDefinition> byUrl) {
		if (args == null) {
			return null;
		}
		if (args.length == 1 && method.getName().equals("fetchTypeDefinition") && args[0] instanceof String) {
			return byType;
		}
		boolean noVersion = args.length == 2 || args.length == 3 && !(args[2] instanceof String);
		if (noVersion && method.getName().equals("fetchResource") && args[0] == StructureDefinition.class
				&& (args[1] == null || args[1] instanceof String)) {
			return byUrl;
		}
		return null;
	}

}
