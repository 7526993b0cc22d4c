package health.crosswalk.hospital;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import health.crosswalk.database.SessionConnections;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Listens on a session of its own for the registry's changes ({@code LISTEN
 * crosswalk_registry}, notified by {@code V23}'s triggers at each change's commit) and
 * tells the {@link RegistryCache}. The cache keeps nothing until the session listens, and
 * forgets everything and stops keeping when the session fails; the listener then connects
 * again every few seconds. Every ten seconds the session runs a statement, so that a
 * server gone without a word is noticed within the connection's read timeout.
 */
final class RegistryListener implements SmartLifecycle {

	static final String CHANNEL = "crosswalk_registry";

	private static final Logger log = LoggerFactory.getLogger(RegistryListener.class);

	private static final int WAIT_MILLIS = 500;

	private static final long CHECK_NANOS = Duration.ofSeconds(10).toNanos();

	private static final Duration RETRY = Duration.ofSeconds(5);

	private final SessionConnections sessions;

	private final RegistryCache cache;

	private volatile boolean running;

	private Thread thread;

	RegistryListener(SessionConnections sessions, RegistryCache cache) {
		this.sessions = sessions;
		this.cache = cache;
	}

	@Override
	public synchronized void start() {
		this.running = true;
		this.thread = new Thread(this::run, "crosswalk-registry-listener");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.thread != null) {
			this.thread.interrupt();
			try {
				this.thread.join(Duration.ofSeconds(2).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.thread = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		boolean lost = false;
		while (this.running) {
			try (Connection connection = this.sessions.open(); Statement statement = connection.createStatement()) {
				statement.execute("LISTEN " + CHANNEL);
				this.cache.listening(true);
				if (lost) {
					log.info("Listening for the registry's changes again: API keys and hospitals are kept in memory");
					lost = false;
				}
				listen(connection.unwrap(PGConnection.class), statement);
			}
			catch (SQLException | RuntimeException ex) {
				this.cache.listening(false);
				if (this.running) {
					if (!lost) {
						log.warn(
								"Not listening for the registry's changes ({}): every request reads its API key and "
										+ "hospital from the database until the listener connects again",
								ex.getMessage());
					}
					lost = true;
					pause();
				}
			}
		}
		this.cache.listening(false);
	}

	private void listen(PGConnection connection, Statement statement) throws SQLException {
		long checked = System.nanoTime();
		while (this.running) {
			PGNotification[] notifications = connection.getNotifications(WAIT_MILLIS);
			if (notifications != null && notifications.length > 0) {
				this.cache.changed();
			}
			if (System.nanoTime() - checked > CHECK_NANOS) {
				statement.execute("SELECT 1");
				checked = System.nanoTime();
			}
		}
	}

	private void pause() {
		try {
			Thread.sleep(RETRY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

}
