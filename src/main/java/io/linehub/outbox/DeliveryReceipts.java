package io.linehub.outbox;

import io.linehub.line.LineDeliveryEvent;
import io.linehub.line.LineWebhookEvents;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import static io.linehub.outbox.OutboxDatabase.historyBatch;

/**
 * LINE's delivery-completion webhook events: the notifications they name become DELIVERED.
 * <p>
 * A request's delivery events are recorded together, in ONE transaction of a few statements whatever their number:
 * their {@code webhookEventId}s are marked seen and the new ones returned ({@link WebhookEventIds#firstSeen}), the
 * notifications of the new ones move to DELIVERED (one UPDATE by delivery tag) and get their history rows (one
 * batch). The route answers LINE's request only after the commit: if the hub stops before it, nothing is recorded and
 * LINE, having no 2xx, sends the request again; if it stops after it, the redelivered events are recognised by their
 * ids. Either way each is recorded once.
 * <p>
 * DELIVERED is accepted from SENDING too: LINE's webhook can overtake the group commit of LINE's own answer
 * ({@link OutcomeWriter}), whose later update only moves notifications still SENDING, so it cannot undo DELIVERED.
 */
public class DeliveryReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReceipts.class);
    /** Statuses a delivery webhook moves on to DELIVERED. */
    private static final String AWAITING = "'SENT','UNCERTAIN','SENDING','UNDELIVERED','RETRY_WAIT','QUEUED'";
    /** {@code delivery.data} when the message was sent without a delivery tag: the hashed phone number (README §10.4). */
    private static final Pattern HASHED_NUMBER = Pattern.compile("[0-9a-f]{64}");
    /** Attempts of a request's transaction (another transaction may hold a row it needs: a deadlock is retried). */
    private static final int ATTEMPTS = 3;

    private final OutboxDatabase db;
    /**
     * A hub runs these transactions one at a time, each for every request waiting (group commit, {@link #record}). On
     * the embedded H2 (which one hub process opens) one at a time is needed: its {@code ON CONFLICT DO NOTHING} does
     * not wait for an id another transaction inserted and has not committed, so two requests carrying one event could
     * each skip it. On PostgreSQL it is not (the insert waits), but webhook requests arriving together (LINE sends
     * them concurrently) ran side by side on a busy 2-core machine, each slower for the others, until a dozen held
     * database sessions at once and the outcome writers' commits waited behind them; one at a time, each request
     * waiting for its own turn fell behind instead. Together, they cost one transaction.
     */
    private final ReentrantLock oneAtATime = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** The most events one transaction takes (a request is never split). */
    private static final int MAX_GROUP_EVENTS = 2_000;

    private io.linehub.observe.DeliveryMetrics metrics = io.linehub.observe.DeliveryMetrics.none();

    public DeliveryReceipts(DataSource dataSource, Clock clock) {
        this.db = new OutboxDatabase(dataSource, clock);
    }

    /** Counts the notifications that became DELIVERED (after each commit) in these meters. */
    public DeliveryReceipts metered(io.linehub.observe.DeliveryMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /** The committed DELIVERED rows ({channel, operation, type}) into the meters. */
    private void count(List<String[]> delivered) {
        for (String[] d : delivered) {
            metrics.moved(d[0], d[1], d[2], io.linehub.observe.DeliveryMetrics.Moved.DELIVERED, 1);
        }
    }

    /** What a request's delivery events did: how many were new (not seen before), and how many notifications became DELIVERED. */
    public record Recorded(int events, int fresh, int delivered) {
    }

    /** The line-webhook route's step: the request's delivery events ({@link LineWebhookEvents#deliveries()}), together. */
    public void delivered(Exchange exchange) {
        Message m = exchange.getMessage();
        LineWebhookEvents events = m.getBody(LineWebhookEvents.class);
        if (events == null || events.deliveries().isEmpty()) {
            return;
        }
        String channel = m.getHeader("channel", String.class);
        Recorded r = record(channel, events.deliveries());
        if (LOG.isDebugEnabled()) {
            LOG.debug("LINE delivery webhook on channel {}: {} events, {} new, {} notifications DELIVERED", channel, r.events(), r.fresh(),
                    r.delivered());
        }
    }

    /** A request's delivery events waiting for the transaction that records them. */
    private record Pending(String channel, List<LineDeliveryEvent> events, CompletableFuture<Recorded> result) {
    }

    /**
     * Records a request's delivery events and returns once they are committed. Group commit, as for LINE's answers
     * ({@link OutcomeWriter}): the requests that arrive while a transaction runs are recorded together in the next
     * one, by whichever of their threads gets there first (so a hub runs one such transaction at a time, and many
     * requests arriving at once cost one transaction, not many side by side). A failed transaction is tried again as
     * a whole (e.g. after a deadlock); if it keeps failing, every request in it fails (no 200: LINE redelivers).
     */
    public Recorded record(String channel, List<LineDeliveryEvent> events) {
        Pending mine = new Pending(channel, events, new CompletableFuture<>());
        waiting.add(mine);
        while (!mine.result().isDone()) {
            oneAtATime.lock();
            try {
                if (!mine.result().isDone()) {
                    List<Pending> group = new ArrayList<>();
                    int size = 0;
                    for (Pending p = waiting.peek(); p != null && (group.isEmpty() || size + p.events().size() <= MAX_GROUP_EVENTS); p = waiting.peek()) {
                        waiting.poll();
                        group.add(p);
                        size += p.events().size();
                    }
                    recordGroup(group);
                }
            } finally {
                oneAtATime.unlock();
            }
        }
        try {
            return mine.result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void recordGroup(List<Pending> group) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<Recorded> results = recordInTransaction(group);
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).result().complete(results.get(i));
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !(e instanceof OutboxException)) {
                    group.forEach(p -> p.result().completeExceptionally(e));
                    return;
                }
                LOG.warn("recording {} webhook requests' delivery events failed ({}); trying again", group.size(),
                        e.getCause() == null ? e.toString() : e.getCause().toString());
            }
        }
    }

    /** One transaction for the group's events; each request's counts (an event new to the group counts for the first request carrying it). */
    private List<Recorded> recordInTransaction(List<Pending> group) {
        OffsetDateTime now = db.now();
        int[][] counts = new int[group.size()][2];
        List<String[]> moved = new ArrayList<>(); // {channel, operation, type} of each notification made DELIVERED
        db.inTransaction(c -> {
            moved.clear();
            List<String> ids = new ArrayList<>();
            group.forEach(p -> p.events().forEach(e -> ids.add(e.webhookEventId())));
            Set<String> fresh = WebhookEventIds.firstSeen(c, ids, now);
            Map<String, Map<String, Integer>> tagsByChannel = new TreeMap<>(); // channel -> tag -> the request it counts for
            List<String> delivered = new ArrayList<>();
            Set<String> claimed = new HashSet<>();
            for (int k = 0; k < group.size(); k++) {
                Pending p = group.get(k);
                for (LineDeliveryEvent e : p.events()) {
                    if (!fresh.contains(e.webhookEventId()) || !claimed.add(e.webhookEventId())) {
                        continue; // seen before, or the same event twice in this group
                    }
                    counts[k][0]++;
                    if (e.data() == null) {
                        continue; // nothing to find
                    }
                    if (HASHED_NUMBER.matcher(e.data()).matches()) {
                        String[] row = markOne(c, p.channel(), e.data(), now);
                        if (row != null) {
                            delivered.add(row[0]);
                            moved.add(new String[]{p.channel(), row[1], row[2]});
                            counts[k][1]++;
                        }
                    } else {
                        tagsByChannel.computeIfAbsent(p.channel(), x -> new TreeMap<>()).putIfAbsent(e.data(), k);
                    }
                }
            }
            for (Map.Entry<String, Map<String, Integer>> channel : tagsByChannel.entrySet()) {
                for (String[] row : markByTags(c, channel.getKey(), channel.getValue().keySet(), now)) {
                    delivered.add(row[0]);
                    moved.add(new String[]{channel.getKey(), row[2], row[3]});
                    counts[channel.getValue().get(row[1])][1]++;
                }
            }
            historyBatch(c, delivered, NotificationStatus.DELIVERED, "LINE delivery webhook", now);
        });
        count(moved);
        List<Recorded> results = new ArrayList<>();
        for (int k = 0; k < group.size(); k++) {
            results.add(new Recorded(group.get(k).events().size(), counts[k][0], counts[k][1]));
        }
        return results;
    }

    /** One UPDATE for all delivery tags; the notifications it moved to DELIVERED, as {id, delivery tag, operation, type}. */
    private static List<String[]> markByTags(Connection c, String channel, Set<String> tags, OffsetDateTime now) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        if (tags.isEmpty()) {
            return rows;
        }
        String update = "UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL"
                + " WHERE channel = ? AND delivery_tag = ANY(?) AND status IN (" + AWAITING + ")";
        String sql = WebhookEventIds.isPostgres(c) ? update + " RETURNING id, delivery_tag, line_operation, type"
                : "SELECT id, delivery_tag, line_operation, type FROM FINAL TABLE (" + update + ")";
        Array array = c.createArrayOf("varchar", tags.toArray(new String[0]));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setString(3, channel);
            ps.setArray(4, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        } finally {
            array.free();
        }
        return rows;
    }

    /**
     * One event whose {@code delivery.data} looks like a hashed number: its delivery tag if some notification was sent
     * with it, else the oldest SENT/UNCERTAIN notification for that hash on the channel. The one marked as
     * {id, operation, type}, or null.
     */
    private static String[] markOne(Connection c, String channel, String deliveryData, OffsetDateTime now) throws SQLException {
        String[] found = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, line_operation, type FROM notification WHERE channel = ? AND delivery_tag = ?")) {
            ps.setString(1, channel);
            ps.setString(2, deliveryData);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    found = new String[]{rs.getString(1), rs.getString(2), rs.getString(3)};
                }
            }
        }
        if (found == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, line_operation, type FROM notification WHERE channel = ? AND recipient_hash = ?"
                    + " AND status IN ('SENT','UNCERTAIN') ORDER BY sent_at LIMIT 1")) {
                ps.setString(1, channel);
                ps.setString(2, deliveryData);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found = new String[]{rs.getString(1), rs.getString(2), rs.getString(3)};
                    }
                }
            }
        }
        if (found == null) {
            return null;
        }
        String id = found[0];
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?,"
                + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND status IN (" + AWAITING + ")")) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setString(3, id);
            return ps.executeUpdate() == 1 ? found : null;
        }
    }

    /**
     * One delivery without an event id (no de-duplication): {@code delivery.data} is the delivery tag we sent (our
     * notification id) or, when none was sent, the hashed phone number.
     *
     * @return whether a notification was marked DELIVERED
     */
    public boolean markDelivered(String channel, String deliveryData) {
        OffsetDateTime now = db.now();
        String[][] marked = {null};
        db.inTransaction(c -> {
            String[] row = markOne(c, channel, deliveryData, now);
            if (row != null) {
                historyBatch(c, List.of(row[0]), NotificationStatus.DELIVERED, "LINE delivery webhook", now);
            }
            marked[0] = row;
        });
        if (marked[0] != null) {
            count(List.<String[]>of(new String[]{channel, marked[0][1], marked[0][2]}));
        }
        return marked[0] != null;
    }
}
