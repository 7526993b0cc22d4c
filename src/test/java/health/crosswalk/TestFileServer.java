package health.crosswalk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * Files on a local HTTP server, for the server under test to fetch (an allowed location
 * of {@code $import}); a file can be held back until the test lets it go.
 */
public final class TestFileServer {

	private static TestFileServer instance;

	private final HttpServer server;

	private final Map<String, String> files = new ConcurrentHashMap<>();

	private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

	private TestFileServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/files/", (exchange) -> {
			String name = exchange.getRequestURI().getPath().substring("/files/".length());
			CountDownLatch hold = this.held.get(name);
			if (hold != null) {
				try {
					hold.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			String body = this.files.get(name);
			byte[] bytes = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
			exchange.sendResponseHeaders((body != null) ? 200 : 404, (bytes.length == 0) ? -1 : bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "test-file-server");
			thread.setDaemon(true);
			return thread;
		}));
		this.server.start();
	}

	public static synchronized TestFileServer get() {
		if (instance == null) {
			try {
				instance = new TestFileServer();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return instance;
	}

	/**
	 * The location files are under, ending with {@code /}.
	 * @return the base URL
	 */
	public String base() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/files/";
	}

	/**
	 * Serves a file.
	 * @param name its name under {@link #base()}
	 * @param content its content
	 * @return its URL
	 */
	public String put(String name, String content) {
		this.files.put(name, content);
		return base() + name;
	}

	/**
	 * Holds a file's answers back until {@link #release} (at most a minute).
	 * @param name the file
	 */
	public void hold(String name) {
		this.held.put(name, new CountDownLatch(1));
	}

	public void release(String name) {
		CountDownLatch hold = this.held.remove(name);
		if (hold != null) {
			hold.countDown();
		}
	}

}
