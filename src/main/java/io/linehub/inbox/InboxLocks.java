package io.linehub.inbox;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The inbox's read lock across hubs (Camel's {@code readLock=idempotent-changed} with this repository): one row
 * per file being read in the shared database (camel_messageprocessed, processor {@code file-inbox}). Taking a
 * lock is one INSERT (the primary key lets only one hub win); the holder refreshes its rows while it reads, so a
 * lock whose holder died is older than the maximum age and one hub takes it over with a conditional UPDATE.
 * (Camel's JdbcOrphanLockAwareIdempotentRepository takes over any existing row after a lost insert race, so two
 * hubs could read one file; this does not.)
 */
public class InboxLocks extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(InboxLocks.class);
    private static final String PROCESSOR = "file-inbox";
    /** camel_messageprocessed.messageId holds 100 characters. */
    static final int MAX_KEY_LENGTH = 100;

    private final DataSource db;
    private final Duration maxAge;
    private final Clock clock;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService keepAlive;

    public InboxLocks(DataSource db, Duration maxAge, Clock clock) {
        this.db = db;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    @Override
    public boolean add(String key) {
        key = keyOf(key);
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO camel_messageprocessed (processorName, messageId, createdAt) VALUES (?, ?, ?)")) {
                ps.setString(1, PROCESSOR);
                ps.setString(2, key);
                ps.setTimestamp(3, now());
                ps.executeUpdate();
                held.add(key);
                return true;
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
            }
            // held by someone: take it over only when its holder stopped refreshing it
            try (PreparedStatement ps = c.prepareStatement("UPDATE camel_messageprocessed SET createdAt = ?"
                    + " WHERE processorName = ? AND messageId = ? AND createdAt < ?")) {
                ps.setTimestamp(1, now());
                ps.setString(2, PROCESSOR);
                ps.setString(3, key);
                ps.setTimestamp(4, Timestamp.from(clock.instant().minus(maxAge)));
                if (ps.executeUpdate() == 1) {
                    LOG.warn("inbox lock {} was left by a hub that stopped; taken over", key);
                    held.add(key);
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the inbox lock", e);
        }
    }

    @Override
    public boolean contains(String key) {
        key = keyOf(key);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM camel_messageprocessed WHERE processorName = ? AND messageId = ? AND createdAt >= ?")) {
            ps.setString(1, PROCESSOR);
            ps.setString(2, key);
            ps.setTimestamp(3, Timestamp.from(clock.instant().minus(maxAge)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the inbox lock", e);
        }
    }

    @Override
    public boolean remove(String key) {
        key = keyOf(key);
        if (!held.remove(key)) {
            return false; // never delete another hub's lock
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?")) {
            ps.setString(1, PROCESSOR);
            ps.setString(2, key);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not release the inbox lock", e);
        }
    }

    /**
     * The row's key for a file's lock key (its absolute path): as it is when it fits the column (100 characters),
     * else {@code sha256:} and the path's SHA-256, so a long path or file name is locked like any other.
     */
    static String keyOf(String key) {
        if (key == null || key.length() <= MAX_KEY_LENGTH) {
            return key;
        }
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        for (String key : Set.copyOf(held)) {
            remove(key);
        }
    }

    void refresh() {
        for (String key : held) {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE camel_messageprocessed SET createdAt = ? WHERE processorName = ? AND messageId = ?")) {
                ps.setTimestamp(1, now());
                ps.setString(2, PROCESSOR);
                ps.setString(3, key);
                ps.executeUpdate();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("could not refresh inbox lock {}: {}", key, e.toString());
            }
        }
    }

    @Override
    protected void doStart() {
        keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inbox-lock-keepalive");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, maxAge.toMillis() / 3);
        keepAlive.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
    }
}
