package health.crosswalk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator: closed-loop clients over HTTP/1.1, each waiting for its answer
 * before sending the next request, with latencies recorded in an HdrHistogram (three
 * significant digits, from a microsecond to an hour).
 */
final class Load {

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private static final String FHIR_JSON = "application/fhir+json, application/json";

	private final String baseUrl;

	private final String[] queryHeaders;

	Load(String baseUrl) {
		this(baseUrl, new String[0]);
	}

	/**
	 * A load generator whose GETs carry headers of their own.
	 * @param queryHeaders name, value, name, value... added to every GET
	 */
	Load(String baseUrl, String... queryHeaders) {
		this.baseUrl = baseUrl;
		this.queryHeaders = queryHeaders.clone();
	}

	HttpResponse<String> get(String path, String key) {
		return get(path, key, new String[0]);
	}

	/**
	 * A GET with headers of its own, given as name, value, name, value...; an Accept
	 * among them replaces the FHIR JSON one.
	 */
	HttpResponse<String> get(String path, String key, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.GET()
			.header("Accept", FHIR_JSON);
		for (int i = 0; i + 1 < this.queryHeaders.length; i += 2) {
			request.setHeader(this.queryHeaders[i], this.queryHeaders[i + 1]);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.setHeader(headers[i], headers[i + 1]);
		}
		return send(request, key);
	}

	HttpResponse<String> post(String path, String key, String contentType, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Accept", FHIR_JSON)
			.header("Content-Type", contentType)
			.POST(BodyPublishers.ofString(body));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request, key);
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String key) {
		request.timeout(Duration.ofMinutes(10));
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		try {
			return this.http.send(request.build(), BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Runs every task once, {@code concurrency} at a time.
	 * @param name what is measured
	 * @param tasks requests returning their HTTP status
	 * @param units how many units (resources) each task carries, for the rate
	 * @return latencies and rate
	 */
	Result once(String name, int concurrency, List<Supplier<HttpResponse<String>>> tasks, int[] units)
			throws InterruptedException {
		ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
		for (int i = 0; i < tasks.size(); i++) {
			queue.add(i);
		}
		Histogram latencies = histogram();
		AtomicInteger errors = new AtomicInteger();
		AtomicLong done = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long start = System.nanoTime();
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < concurrency; w++) {
			workers.add(pool.submit(() -> {
				Integer next;
				while ((next = queue.poll()) != null) {
					long t0 = System.nanoTime();
					int status = status(send(tasks.get(next)));
					latencies.recordValue(System.nanoTime() - t0);
					if (status >= 300) {
						errors.incrementAndGet();
					}
					done.addAndGet(units[next]);
				}
			}));
		}
		await(pool, workers);
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Result(name, tasks.size(), errors.get(), seconds, done.get(), latencies, 0);
	}

	/**
	 * Runs a request mix for a warm-up period, nothing measured.
	 */
	void warm(int concurrency, Duration warmup, Supplier<HttpResponse<String>> request) throws InterruptedException {
		run(concurrency, warmup, request, null, null, null);
	}

	/**
	 * Runs a request mix for a measured period.
	 */
	Result timed(String name, int concurrency, Duration duration, Supplier<HttpResponse<String>> request)
			throws InterruptedException {
		Histogram latencies = histogram();
		AtomicInteger errors = new AtomicInteger();
		AtomicLong cached = new AtomicLong();
		long start = System.nanoTime();
		run(concurrency, duration, request, latencies, errors, cached);
		double seconds = (System.nanoTime() - start) / 1e9;
		long count = latencies.getTotalCount();
		return new Result(name, count, errors.get(), seconds, count, latencies, cached.get());
	}

	private void run(int concurrency, Duration period, Supplier<HttpResponse<String>> request, Histogram latencies,
			AtomicInteger errors, AtomicLong cached) throws InterruptedException {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long end = System.nanoTime() + period.toNanos();
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < concurrency; w++) {
			workers.add(pool.submit(() -> {
				while (System.nanoTime() < end) {
					long t0 = System.nanoTime();
					HttpResponse<String> response = send(request);
					long latency = System.nanoTime() - t0;
					int status = status(response);
					if (cached != null && status < 300 && isCacheHit(response)) {
						cached.incrementAndGet();
					}
					if (errors != null && status >= 300) {
						errors.incrementAndGet();
					}
					if (latencies != null) {
						latencies.recordValue(latency);
					}
				}
			}));
		}
		await(pool, workers);
	}

	/** The answer, or null if there was none. */
	private static HttpResponse<String> send(Supplier<HttpResponse<String>> request) {
		try {
			return request.get();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static int status(HttpResponse<String> response) {
		return (response != null) ? response.statusCode() : 599;
	}

	/**
	 * Whether a search was answered from the server's cache of earlier searches, as HAPI
	 * says in its {@code X-Cache} header ({@code HIT from <base>}).
	 */
	static boolean isCacheHit(HttpResponse<String> response) {
		return response.headers().allValues("X-Cache").stream().anyMatch((value) -> value.startsWith("HIT"));
	}

	private static void await(ExecutorService pool, List<Future<?>> workers) throws InterruptedException {
		try {
			for (Future<?> worker : workers) {
				worker.get();
			}
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static Histogram histogram() {
		return new ConcurrentHistogram(1_000L, Duration.ofHours(1).toNanos(), 3);
	}

	/**
	 * What a phase measured.
	 *
	 * @param name the phase
	 * @param requests requests sent
	 * @param errors answers that were not 2xx
	 * @param seconds wall time
	 * @param units units done (resources for ingest, requests otherwise)
	 * @param latencies every request's latency, in nanoseconds
	 * @param cacheHits answers the server took from its cache of earlier searches
	 */
	record Result(String name, long requests, long errors, double seconds, long units, Histogram latencies,
			long cacheHits) {

		/**
		 * This phase and a later window of the same measure, as one.
		 * @param later the later window
		 * @return both, their latencies merged
		 */
		Result plus(Result later) {
			Histogram both = histogram();
			both.add(this.latencies);
			both.add(later.latencies);
			return new Result(this.name, this.requests + later.requests, this.errors + later.errors,
					this.seconds + later.seconds, this.units + later.units, both, this.cacheHits + later.cacheHits);
		}

		double perSecond() {
			return this.units / this.seconds;
		}

		double requestsPerSecond() {
			return this.requests / this.seconds;
		}

		double percentileMillis(double quantile) {
			if (this.latencies.getTotalCount() == 0) {
				return Double.NaN;
			}
			return this.latencies.getValueAtPercentile(quantile * 100) / 1e6;
		}

	}

}
