package health.crosswalk.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator counts the answers a server took from its cache of earlier searches
 * (HAPI's {@code X-Cache: HIT} header), sends its own headers with every GET, and adds up
 * two windows of one measure.
 */
class LoadTest {

	private HttpServer server;

	private final List<String> cacheControls = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.server.createContext("/cached", (exchange) -> answer(exchange, "HIT from http://localhost/fhir"));
		this.server.createContext("/fresh", (exchange) -> answer(exchange, null));
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private void answer(HttpExchange exchange, String xCache) throws IOException {
		this.cacheControls.add(String.valueOf(exchange.getRequestHeaders().getFirst("Cache-Control")));
		if (xCache != null) {
			exchange.getResponseHeaders().add("X-Cache", xCache);
		}
		exchange.sendResponseHeaders(200, 2);
		exchange.getResponseBody().write("{}".getBytes());
		exchange.close();
	}

	private String base() {
		return "http://localhost:" + this.server.getAddress().getPort();
	}

	@Test
	void countsTheAnswersTakenFromAServersSearchCache() throws Exception {
		Load load = new Load(base());
		Load.Result cached = load.timed("cached", 2, Duration.ofMillis(200), () -> load.get("/cached", null));
		Load.Result fresh = load.timed("fresh", 2, Duration.ofMillis(200), () -> load.get("/fresh", null));

		assertThat(cached.requests()).isPositive();
		assertThat(cached.cacheHits()).isEqualTo(cached.requests());
		assertThat(fresh.requests()).isPositive();
		assertThat(fresh.cacheHits()).isZero();
		assertThat(this.cacheControls).containsOnly("null");
	}

	@Test
	void twoWindowsOfAMeasureAddUp() throws Exception {
		Load load = new Load(base());
		Load.Result first = load.timed("cached", 2, Duration.ofMillis(100), () -> load.get("/cached", null));
		Load.Result second = load.timed("cached", 2, Duration.ofMillis(100), () -> load.get("/fresh", null));

		Load.Result both = first.plus(second);

		assertThat(both.name()).isEqualTo("cached");
		assertThat(both.requests()).isEqualTo(first.requests() + second.requests());
		assertThat(both.units()).isEqualTo(first.units() + second.units());
		assertThat(both.seconds()).isEqualTo(first.seconds() + second.seconds());
		assertThat(both.cacheHits()).isEqualTo(first.requests());
		assertThat(both.latencies().getTotalCount()).isEqualTo(both.requests());
		assertThat(both.requestsPerSecond()).isBetween(Math.min(first.requestsPerSecond(), second.requestsPerSecond()),
				Math.max(first.requestsPerSecond(), second.requestsPerSecond()));
	}

	@Test
	void sendsItsOwnHeadersWithEveryGet() {
		new Load(base(), "Cache-Control", "no-cache").get("/fresh", null);
		assertThat(this.cacheControls).containsExactly("no-cache");
	}

}
