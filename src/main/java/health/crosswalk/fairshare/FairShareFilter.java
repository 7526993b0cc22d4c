package health.crosswalk.fairshare;

import java.io.IOException;

import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Outcomes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives each hospital its own lane of FHIR requests ({@link FairShare}), after Spring
 * Security has named the caller: a request beyond its hospital's share is answered 429
 * with {@code Retry-After}, and the audit filter, which runs before this one, records the
 * refusal.
 */
final class FairShareFilter extends OncePerRequestFilter {

	static final String NETWORK_LANE = "(network)";

	static final String ANONYMOUS_LANE = "(anonymous)";

	private final FairShare share;

	private final FairShareProperties properties;

	FairShareFilter(FairShare share, FairShareProperties properties) {
		this.share = share;
		this.properties = properties;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !Outcomes.isFhir(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String lane = lane(Principals.of(request));
		FairShare.Turn turn = enter(lane);
		if (turn == null) {
			response.setHeader("Retry-After", Long.toString(this.properties.retryAfterSeconds()));
			Outcomes.write(response, 429, FairShareError.BUSY.outcome("Too many requests of "
					+ (lane.startsWith("(") ? "this caller group" : "hospital " + lane) + " at once: "
					+ this.properties.maxConcurrentRequests() + " may run and " + this.properties.maxQueuedRequests()
					+ " wait, each for at most " + this.properties.queueTimeout().toSeconds() + "s."));
			return;
		}
		try (turn) {
			chain.doFilter(request, response);
		}
	}

	private FairShare.Turn enter(String lane) {
		try {
			return this.share.enter(lane);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	static String lane(CrosswalkPrincipal principal) {
		if (principal == null) {
			return ANONYMOUS_LANE;
		}
		return principal.hasHospital() ? principal.hospitalSlug() : NETWORK_LANE;
	}

}
