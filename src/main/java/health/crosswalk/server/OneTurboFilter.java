package health.crosswalk.server;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.TurboFilterList;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * The logging context's turbo filters (Crosswalk's {@link RefusalLogFilter}, Micrometer's
 * count of log events) made one, which asks each in turn as Logback does. Logback asks
 * its turbo filters before every level check ({@code isTraceEnabled} and the like, which
 * HAPI's parser makes for every element it writes), and copies its list into a new array
 * for each check once it holds more than one: 0.9 % of an ingest's CPU samples, and 2 %
 * of the memory it allocates.
 */
final class OneTurboFilter extends TurboFilter {

	private final TurboFilter[] filters;

	private OneTurboFilter(List<TurboFilter> filters) {
		this.filters = filters.toArray(TurboFilter[]::new);
	}

	/**
	 * Makes the context's turbo filters one, if it has more than one. A filter added
	 * later (a logging reset adds Micrometer's again) stands beside it.
	 * @param logback the logging context
	 */
	static void combine(LoggerContext logback) {
		TurboFilterList list = logback.getTurboFilterList();
		List<TurboFilter> filters = List.copyOf(list);
		if (filters.size() < 2) {
			return;
		}
		OneTurboFilter one = new OneTurboFilter(filters);
		one.setName("crosswalk-one-turbo-filter");
		one.setContext(logback);
		one.start();
		// Added before the others leave, so that no event passes unfiltered meanwhile.
		list.add(0, one);
		list.removeAll(filters);
	}

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
			Throwable failure) {
		for (TurboFilter filter : this.filters) {
			FilterReply reply = filter.decide(marker, logger, level, format, params, failure);
			if (reply != FilterReply.NEUTRAL) {
				return reply;
			}
		}
		return FilterReply.NEUTRAL;
	}

}
