package health.crosswalk.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The server's one session listening for PostgreSQL's notifications ({@code LISTEN}), for
 * every capability that keeps in memory what another server may change.
 *
 * <p>
 * Each capability subscribes to a channel before the server starts. A subscriber is told
 * when the session listens, and when it stops (a failed connection, the server stopping):
 * notifications sent in between are lost, so a subscriber keeps nothing while not
 * listening. The session connects again every few seconds, and every ten seconds runs a
 * statement, so that a database gone without a word is noticed within the connection's
 * read timeout.
 */
public final class Notifications implements SmartLifecycle {

	/**
	 * Told what arrives on one channel.
	 */
	public interface Subscriber {

		/**
		 * The session listens from now on (true), or has stopped listening (false).
		 * Either way, notifications may have been missed just before.
		 * @param listening whether notifications on the channel now arrive
		 */
		void listening(boolean listening);

		/**
		 * Notifications that arrived together on the channel, in order.
		 * @param payloads their payloads (empty strings for none)
		 */
		void notified(List<String> payloads);

	}

	private static final Logger log = LoggerFactory.getLogger(Notifications.class);

	private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final int WAIT_MILLIS = 500;

	private static final long CHECK_NANOS = Duration.ofSeconds(10).toNanos();

	private static final Duration RETRY = Duration.ofSeconds(5);

	private final SessionConnections sessions;

	private final Map<String, Subscriber> subscribers = new LinkedHashMap<>();

	private volatile boolean running;

	private Thread thread;

	/**
	 * @param sessions where the listening session comes from
	 */
	public Notifications(SessionConnections sessions) {
		this.sessions = sessions;
	}

	/**
	 * Subscribes to a channel; before the server starts only.
	 * @param channel the channel's name (lower case letters, digits, underscores)
	 * @param subscriber told what arrives on it
	 */
	public synchronized void subscribe(String channel, Subscriber subscriber) {
		if (!CHANNEL.matcher(channel).matches()) {
			throw new IllegalArgumentException("Not a channel name: " + channel);
		}
		if (this.thread != null) {
			throw new IllegalStateException("Subscribe to " + channel + " before the listener starts");
		}
		if (this.subscribers.putIfAbsent(channel, subscriber) != null) {
			throw new IllegalStateException("Channel " + channel + " has a subscriber already");
		}
	}

	@Override
	public synchronized void start() {
		if (this.subscribers.isEmpty()) {
			return;
		}
		this.running = true;
		this.thread = new Thread(this::run, "crosswalk-notifications");
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
				for (String channel : this.subscribers.keySet()) {
					statement.execute("LISTEN " + channel);
				}
				tell(true);
				if (lost) {
					log.info("Listening for PostgreSQL's notifications again on {}: their data is kept in memory",
							this.subscribers.keySet());
					lost = false;
				}
				listen(connection.unwrap(PGConnection.class), statement);
			}
			catch (SQLException | RuntimeException ex) {
				tell(false);
				if (this.running) {
					if (!lost) {
						log.warn(
								"Not listening for PostgreSQL's notifications on {} ({}): their data is read from the "
										+ "database on every request until the listener connects again",
								this.subscribers.keySet(), ex.getMessage());
					}
					lost = true;
					pause();
				}
			}
		}
		tell(false);
	}

	private void tell(boolean listening) {
		for (Subscriber subscriber : this.subscribers.values()) {
			subscriber.listening(listening);
		}
	}

	private void listen(PGConnection connection, Statement statement) throws SQLException {
		long checked = System.nanoTime();
		while (this.running) {
			PGNotification[] notifications = connection.getNotifications(WAIT_MILLIS);
			if (notifications != null && notifications.length > 0) {
				dispatch(notifications);
			}
			if (System.nanoTime() - checked > CHECK_NANOS) {
				statement.execute("SELECT 1");
				checked = System.nanoTime();
			}
		}
	}

	private void dispatch(PGNotification[] notifications) {
		Map<String, List<String>> payloads = new LinkedHashMap<>();
		for (PGNotification notification : notifications) {
			payloads.computeIfAbsent(notification.getName(), (channel) -> new ArrayList<>())
				.add((notification.getParameter() != null) ? notification.getParameter() : "");
		}
		payloads.forEach((channel, each) -> {
			Subscriber subscriber = this.subscribers.get(channel);
			if (subscriber != null) {
				subscriber.notified(each);
			}
		});
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
