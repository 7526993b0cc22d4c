package health.crosswalk.server;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.RestfulServer;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.Ordered;

/**
 * The order in which Crosswalk's servlet filters and HAPI hooks run, and the one place
 * that registers the hooks.
 *
 * <p>
 * A request passes the filters (lowest order first, each wrapping the rest), then HAPI,
 * which calls the hooks of each pointcut in ascending order. On a write that gives:
 * request id, held flushes, audit filter, size limits, request shape, authentication
 * (Spring Security), fair share; then authorization of the request, partition,
 * authorization of the resource, limits, the server-only fields linkage keeps, and, just
 * before commit, validation, linkage, audit. On a read: authorization, partition,
 * withholding what the caller may not see, linkage adding the UPI, then the audit record,
 * then the response written from the resource's stored text where it can be.
 *
 * <p>
 * Every hook object goes on exactly one of HAPI's two interceptor services: one with a
 * {@code SERVER_*} hook on the RestfulServer's, every other on the JPA storage service.
 * HAPI calls a storage pointcut's hooks from both services for a client's request, so an
 * object on both would run twice (issue #15 found profile validation doing that), and an
 * object with both kinds would see storage pointcuts only for client requests; both are
 * refused at start.
 */
public final class Pipeline {

	// Servlet filters: Spring's order, lowest first.

	/** First: every log line and audit record of the request carries its id. */
	public static final int REQUEST_ID_FILTER = Ordered.HIGHEST_PRECEDENCE;

	/** Then the response goes out when full or done, whatever flushes ask for. */
	public static final int FLUSH_FILTER = Ordered.HIGHEST_PRECEDENCE + 1;

	/** Every request is recorded, including those the filters after it refuse. */
	public static final int AUDIT_FILTER = Ordered.HIGHEST_PRECEDENCE + 2;

	/** Bounds the body and the parameters before anything reads them. */
	public static final int SIZE_FILTER = Ordered.HIGHEST_PRECEDENCE + 3;

	/** Parameter encoding and HTTP methods, once their size is bounded. */
	public static final int REQUEST_SHAPE_FILTER = Ordered.HIGHEST_PRECEDENCE + 4;

	/** Right after Spring Security, which names the caller the lanes are kept by. */
	public static final int FAIR_SHARE_FILTER = SecurityProperties.DEFAULT_FILTER_ORDER + 1;

	// HAPI hooks: ascending within a pointcut.

	/**
	 * Security first: the caller may make this request, in this partition, on this
	 * resource; what it may not see is withheld before anything adds to a response.
	 */
	public static final int AUTHORIZE = -1000;

	/**
	 * Then whose a Bulk Data export is: its status and files are its requester's alone,
	 * and no client writes its files.
	 */
	public static final int EXPORT_OWNER = -950;

	/** Size and time limits, before any work in proportion to the resource. */
	public static final int LIMITS = -900;

	/** The shape of a transaction or batch bundle, once its size is bounded. */
	public static final int SHAPE = -850;

	/** Linkage refuses and strips what only the server may set, before storage. */
	public static final int RESERVED = -800;

	/** A search's bare reference ids get the one type their parameter allows ... */
	public static final int REFERENCES = -600;

	/** ... offset paging decides how a search pages ... */
	public static final int PAGING = -500;

	/** ... before security binds a stored search's pages to the caller's partition. */
	public static final int PAGE_OWNER = -400;

	/**
	 * Profile validation, before commit and after a bundle's references are resolved:
	 * before anything interprets the resource.
	 */
	public static final int VALIDATION = 100;

	/** Linkage links a Patient once it is valid, and adds linked records to responses. */
	public static final int LINKAGE = 200;

	/**
	 * Search results kept in memory learn which types a write changes, once it is valid;
	 * their order does not matter, as they act at the commit.
	 */
	public static final int RESULTS = 300;

	/** Statements and outcomes that describe the server; their order does not matter. */
	public static final int DESCRIBE = 500;

	/** Last: the audit record sees the resource and the response as they leave. */
	public static final int AUDIT = 10_000;

	/**
	 * After the audit record has seen it, a read by id's resource is answered with its
	 * stored text.
	 */
	public static final int STORED_TEXT = 15_000;

	/** After all: the request's duration and status, once it is answered. */
	public static final int MEASURE = 20_000;

	/** Each hook object's home. */
	enum Service {

		/** The RestfulServer's interceptor service: {@code SERVER_*} pointcuts. */
		REST,

		/** HAPI JPA's interceptor service: storage pointcuts, for every caller. */
		STORAGE

	}

	private final RestfulServer rest;

	private final IInterceptorService storage;

	private final Set<Object> registered = Collections.newSetFromMap(new IdentityHashMap<>());

	/**
	 * @param rest the FHIR server
	 * @param storage HAPI JPA's interceptor service
	 */
	public Pipeline(RestfulServer rest, IInterceptorService storage) {
		this.rest = rest;
		this.storage = storage;
	}

	/**
	 * Registers a capability's hook object on its one service.
	 * @param hooks an object with {@link Hook} methods, each at one of this class's
	 * orders
	 * @throws IllegalStateException if it was registered before or mixes {@code SERVER_*}
	 * hooks with storage hooks
	 */
	public synchronized void add(Object hooks) {
		Service service = serviceOf(hooks.getClass());
		if (!this.registered.add(hooks)) {
			throw new IllegalStateException(hooks.getClass().getName() + " is registered twice: its hooks would run "
					+ "twice for each event.");
		}
		if (service == Service.REST) {
			this.rest.registerInterceptor(hooks);
		}
		else {
			this.storage.registerInterceptor(hooks);
		}
	}

	static Service serviceOf(Class<?> type) {
		Set<Service> services = EnumSet.noneOf(Service.class);
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Method method : current.getDeclaredMethods()) {
				Hook hook = method.getAnnotation(Hook.class);
				if (hook != null) {
					services.add(serviceOf(hook.value()));
				}
			}
		}
		if (services.size() != 1) {
			throw new IllegalStateException(type.getName() + ((services.isEmpty()) ? " has no @Hook method."
					: " mixes SERVER_* hooks with storage hooks: split it, or its storage hooks would not run "
							+ "for the server's own writes."));
		}
		return services.iterator().next();
	}

	static Service serviceOf(Pointcut pointcut) {
		return pointcut.name().startsWith("SERVER_") ? Service.REST : Service.STORAGE;
	}

}
