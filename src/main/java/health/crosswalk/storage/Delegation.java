package health.crosswalk.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The call a JDK proxy wrapping one of HAPI's beans makes to the bean it wraps, for every
 * method it leaves as it is.
 */
public final class Delegation {

	private Delegation() {
	}

	/**
	 * Calls the method on the target, throwing what the method throws rather than
	 * reflection's wrapper of it.
	 * @param target the wrapped object
	 * @param method the method called on the proxy
	 * @param args its arguments
	 * @return what the method returns
	 * @throws Throwable what the method throws
	 */
	public static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
