package health.crosswalk.database;

/**
 * Which server a request thread's connections come from: the primary unless a hook has
 * marked the thread's request as one a read replica may answer. Without a configured
 * replica the mark changes nothing.
 */
public final class ReadRoute {

	private static final ThreadLocal<Boolean> REPLICA = new ThreadLocal<>();

	private ReadRoute() {
	}

	/**
	 * Connections this thread takes from now on may come from the replica: the request
	 * reads only, and may read data a little behind the primary.
	 */
	public static void replica() {
		REPLICA.set(Boolean.TRUE);
	}

	/**
	 * Connections this thread takes come from the primary again.
	 */
	public static void primary() {
		REPLICA.remove();
	}

	/**
	 * Whether this thread's request was marked as one a replica may answer.
	 */
	public static boolean onReplica() {
		return REPLICA.get() != null;
	}

}
