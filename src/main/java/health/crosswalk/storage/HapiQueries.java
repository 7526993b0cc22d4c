package health.crosswalk.storage;

import java.lang.reflect.Method;

import org.springframework.data.jpa.repository.Query;

/**
 * The check that a HAPI repository method still carries the query a wrapper of this
 * package replaces, so that an upgrade that changes it is seen at start, not run past.
 */
final class HapiQueries {

	private HapiQueries() {
	}

	/**
	 * @param method HAPI's repository method
	 * @param expected its query's text, whitespace collapsed
	 * @param what what the query loads, for the message
	 * @param wrapper the class that replaces it
	 * @throws IllegalStateException if the method's query differs
	 */
	static void check(Method method, String expected, String what, Class<?> wrapper) {
		Query query = method.getAnnotation(Query.class);
		String text = (query != null) ? query.value().replaceAll("\\s+", " ").trim() : null;
		if (!expected.equals(text)) {
			throw new IllegalStateException("HAPI's query for " + what + " is not the one Crosswalk replaces ("
					+ wrapper.getName() + "): expected [" + expected + "], found [" + text + "]. Update "
					+ wrapper.getSimpleName() + " for this HAPI version.");
		}
	}

}
