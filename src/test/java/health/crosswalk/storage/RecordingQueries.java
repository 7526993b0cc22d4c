package health.crosswalk.storage;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.persistence.TypedQuery;

/**
 * A JPA query for unit tests of the repository wrappers: it records the parameters set on
 * it and answers its result list.
 */
final class RecordingQueries {

	private RecordingQueries() {
	}

	/**
	 * A query that puts each parameter set on it into {@code parameters} and returns what
	 * {@code results} holds when its result list is asked for; any other method fails.
	 */
	static TypedQuery<?> recording(Map<String, Object> parameters, Supplier<List<?>> results) {
		return (TypedQuery<?>) Proxy.newProxyInstance(RecordingQueries.class.getClassLoader(),
				new Class<?>[] { TypedQuery.class }, (proxy, method, args) -> switch (method.getName()) {
					case "setParameter" -> {
						parameters.put((String) args[0], args[1]);
						yield proxy;
					}
					case "getResultList" -> results.get();
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
