package io.linehub.outbox;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Across a cluster on PostgreSQL: {@code LISTEN}s on {@link #CHANNEL} on a connection of its own (outside the pool)
 * and raises the {@link DispatchSignal} when any hub queued notifications ({@link NotificationQueue} sends
 * {@code NOTIFY} in the storing transaction), so the hub whose dispatcher is idle claims them at once. Waits in
 * pgjdbc's {@code getNotifications(timeout)}, so it costs nothing while nothing is queued. A lost connection is
 * opened again after a second; meanwhile the dispatcher's poll interval still finds every row.
 */
public final class OutboxListener implements AutoCloseable {

    /** The PostgreSQL notification channel of newly queued rows. */
    public static final String CHANNEL = "hub_outbox_queued";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxListener.class);

    private final String url;
    private final Properties credentials;
    private final DispatchSignal signal;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    public OutboxListener(String url, String user, String password, DispatchSignal signal) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null && !user.isBlank()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isBlank()) {
            credentials.setProperty("password", password);
        }
        this.signal = signal;
        this.thread = new Thread(this::run, "outbox-listener");
        thread.setDaemon(true);
    }

    public OutboxListener start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, credentials); Statement st = c.createStatement()) {
                connection = c;
                st.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(1000);
                    if (got != null && got.length > 0) {
                        signal.raise();
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.warn("outbox listener (LISTEN {}) lost its connection ({}, SQL state {}); polling only until it is back",
                        CHANNEL, e.getClass().getName(), e.getSQLState());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the outbox listener's connection: {}", e.toString());
            }
        }
        thread.interrupt();
    }
}
