package io.linehub.outbox;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * LINE webhook events already handled, by {@code webhookEventId} (table {@code line_webhook_event}, V15). Two ways in,
 * one table: {@link #firstSeen} takes a fold's delivery events (many requests' worth, {@link DeliveryReceipts}) in one
 * statement, inside the transaction that records what they say (so an event counts as seen exactly when its effect is
 * committed); and, as Camel's {@link IdempotentRepository}, the route's {@code idempotentConsumer} takes the other
 * events one at a time. The delivery housekeeping forgets ids older than the retention ({@link #prune}).
 * <p>
 * The statement is {@code INSERT … ON CONFLICT DO NOTHING} returning the ids it inserted (PostgreSQL's
 * {@code RETURNING}; H2's {@code FINAL TABLE}). When two requests carry the same event at once, PostgreSQL makes the
 * second insert wait for the first transaction: after its commit the second finds the id taken (not new), after its
 * rollback the second inserts it — exactly one of them handles the event. (The embedded H2 does not wait so; there
 * the hub's one process folds one batch at a time, see {@link DeliveryReceipts}.)
 */
public class WebhookEventIds extends ServiceSupport implements IdempotentRepository {

    private final DataSource dataSource;
    private final Clock clock;

    public WebhookEventIds(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Marks the ids seen (in the caller's transaction) and returns those that were not seen before; duplicates in
     * {@code ids} count once.
     */
    static Set<String> firstSeen(Connection c, Collection<String> ids, OffsetDateTime now) throws SQLException {
        Set<String> distinct = new TreeSet<>(ids); // sorted: two requests with common ids take their index entries in one order
        Set<String> fresh = new HashSet<>();
        if (distinct.isEmpty()) {
            return fresh;
        }
        boolean postgres = OutboxDatabase.isPostgres(c);
        String insert = "INSERT INTO line_webhook_event (event_id, seen_at) SELECT id, ? FROM UNNEST(?) AS n(id) ON CONFLICT DO NOTHING";
        String sql = postgres ? insert + " RETURNING event_id" : "SELECT event_id FROM FINAL TABLE (" + insert + ")";
        Array array = c.createArrayOf("varchar", distinct.toArray(new String[0]));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        } finally {
            array.free();
        }
        return fresh;
    }

    /** Takes back ids marked seen in the caller's transaction (their effect could not be recorded in it). */
    static void forget(Connection c, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        Array array = c.createArrayOf("varchar", ids.toArray(new String[0]));
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM line_webhook_event WHERE event_id = ANY(?)")) {
            ps.setArray(1, array);
            ps.executeUpdate();
        } finally {
            array.free();
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
    }

    /** The shortest retention accepted: LINE's delivery events belong to the 24 h after a send (README §10.4). */
    static final Duration MIN_RETENTION = Duration.ofDays(1);
    /** The most batches one housekeeping run deletes (the rest waits for the next run). */
    private static final int MAX_BATCHES_PER_RUN = 100;

    /**
     * The housekeeping route's step: forgets the ids seen longer ago than {@code retention} (an ISO-8601 duration,
     * hub.webhook.event-retention), oldest first, {@code batch} rows per statement, each statement its own transaction
     * (so a large backlog never holds one long lock). LINE redelivers an event with the same id, but says neither how
     * often nor for how long (README §10.1), so the retention is a setting; an event redelivered after its id was
     * forgotten is handled again (for a delivery event harmless: a DELIVERED notification stays as it is).
     *
     * @return how many ids were forgotten
     */
    public int prune(String retention, int batch) {
        Duration keep;
        try {
            keep = Duration.parse(retention);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("hub.webhook.event-retention (HUB_WEBHOOK_EVENT_RETENTION) must be an ISO-8601 duration"
                    + " such as P7D, was '" + retention + "'");
        }
        if (keep.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("hub.webhook.event-retention (HUB_WEBHOOK_EVENT_RETENTION) must be at least " + MIN_RETENTION
                    + " (LINE's delivery events come within 24 h of a send), was " + retention);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("hub.webhook.prune-batch (HUB_WEBHOOK_PRUNE_BATCH) must be at least 1, was " + batch);
        }
        OffsetDateTime before = now().minus(keep);
        int total = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM line_webhook_event WHERE event_id IN"
                     + " (SELECT event_id FROM line_webhook_event WHERE seen_at < ? ORDER BY seen_at LIMIT ?)")) {
            c.setAutoCommit(true);
            for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
                ps.setObject(1, before);
                ps.setInt(2, batch);
                int n = ps.executeUpdate();
                total += n;
                if (n < batch) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new OutboxException("could not prune webhook event ids", e);
        }
        return total;
    }

    // ---- Camel's IdempotentRepository, for the route's per-event idempotentConsumer (each call its own transaction) ----

    @Override
    public boolean add(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO line_webhook_event (event_id, seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, key);
            ps.setObject(2, now());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new OutboxException("could not record a webhook event id", e);
        }
    }

    @Override
    public boolean contains(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM line_webhook_event WHERE event_id = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new OutboxException("could not look up a webhook event id", e);
        }
    }

    @Override
    public boolean remove(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM line_webhook_event WHERE event_id = ?")) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new OutboxException("could not forget a webhook event id", e);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("webhook event ids are not cleared wholesale");
    }
}
