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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import static io.linehub.outbox.OutboxDatabase.historyBatch;

/**
 * LINE's delivery-completion webhook events: the notifications they name become DELIVERED, in two steps.
 * <ol>
 * <li>{@link #append} (the webhook route, before its 200): the request's delivery events go into the journal
 * {@code line_delivery_receipt} in ONE insert, committed. Nothing else is on LINE's clock (it wants a 2xx within 2 s):
 * no look-up, no lock on a notification, no UPDATE of a wide row.</li>
 * <li>{@link #foldPending} (a background route): the oldest journal rows, many requests' worth, in ONE transaction:
 * their {@code webhookEventId}s are marked seen and the new ones returned ({@link WebhookEventIds#firstSeen}), the
 * notifications of the new ones move to DELIVERED (one UPDATE by delivery tag) with history (one batch), and the rows
 * are deleted.</li>
 * </ol>
 * Exactly once, crash or not: a hub that stops before the append's commit answers no 200 and LINE redelivers; one that
 * stops after it (200 sent or not) has the events in the journal, folded after its restart; a fold that does not
 * commit leaves the rows to the next one; an event appended twice (LINE's redelivery after a lost 200, or two requests
 * carrying it) is recognised at the fold by its id, in the same transaction as its effect. Several hubs fold side by
 * side on PostgreSQL: each takes rows the others have not locked ({@code SKIP LOCKED}), and an id two of them fold at
 * once is inserted by one, the other waiting for its commit.
 * <p>
 * DELIVERED is accepted from SENDING too: LINE's webhook can overtake the group commit of LINE's own answer
 * ({@link OutcomeWriter}), whose later update only moves notifications still SENDING, so it cannot undo DELIVERED.
 */
public class DeliveryReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReceipts.class);
    /** Statuses a delivery webhook moves on to DELIVERED. */
    private static final String AWAITING = "'SENT','UNCERTAIN','SENDING','UNDELIVERED','RETRY_WAIT','QUEUED'";
    /** The fold's look-up of a request's delivery tags (see {@link #markByTags}). */
    static final String LOCK_BY_TAGS = "SELECT id, delivery_tag, line_operation, type, channel, status FROM notification"
            + " WHERE delivery_tag = ANY(?) FOR UPDATE SKIP LOCKED";
    private static final Set<String> AWAITING_STATUSES = Set.of(AWAITING.replace("'", "").split(","));
    /** {@code delivery.data} when the message was sent without a delivery tag: the hashed phone number (README §10.4). */
    private static final Pattern HASHED_NUMBER = Pattern.compile("[0-9a-f]{64}");
    /** The longest {@code delivery.data} that can name a notification (a delivery tag has at most 100 characters; README §1). */
    static final int MAX_DELIVERY_DATA = 100;
    /** The most journal rows one fold takes when the caller names no number. */
    public static final int DEFAULT_FOLD_BATCH = 5_000;

    private final OutboxDatabase db;
    /**
     * One fold at a time in a hub. On the embedded H2 (which one hub process opens) this is needed: its {@code ON
     * CONFLICT DO NOTHING} does not wait for an id another transaction inserted and has not committed, so two folds
     * carrying one event could each record it. On PostgreSQL the insert waits, so hubs may fold side by side.
     */
    private final ReentrantLock oneFoldAtATime = new ReentrantLock();

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

    /** What a fold did: journal rows taken, events new (not seen before), notifications that became DELIVERED. */
    public record Folded(int receipts, int fresh, int delivered) {
        Folded plus(Folded o) {
            return new Folded(receipts + o.receipts, fresh + o.fresh, delivered + o.delivered);
        }
    }

    /** The line-webhook route's step: the request's delivery events ({@link LineWebhookEvents#deliveries()}) into the journal. */
    public void received(Exchange exchange) {
        Message m = exchange.getMessage();
        LineWebhookEvents events = m.getBody(LineWebhookEvents.class);
        if (events == null || events.deliveries().isEmpty()) {
            return;
        }
        append(m.getHeader("channel", String.class), events.deliveries());
    }

    /**
     * Appends a request's delivery events to the journal in one statement and returns once it is committed (then, and
     * only then, may LINE get its 200). Repeats are kept: the fold recognises them.
     */
    public void append(String channel, List<LineDeliveryEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        OffsetDateTime now = db.now();
        String[] ids = new String[events.size()];
        String[] data = new String[events.size()];
        for (int i = 0; i < ids.length; i++) {
            LineDeliveryEvent e = events.get(i);
            ids[i] = e.webhookEventId();
            // longer than any delivery tag or hash: it names no notification, only its event id is kept
            data[i] = e.data() == null || e.data().length() > MAX_DELIVERY_DATA ? null : e.data();
        }
        db.inTransaction(c -> {
            Array idArray = c.createArrayOf("varchar", ids);
            Array dataArray = c.createArrayOf("varchar", data);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO line_delivery_receipt (event_id, channel, delivery_data, received_at)"
                    + " SELECT e, ?, d, ? FROM UNNEST(?, ?) AS n(e, d)")) {
                ps.setString(1, channel);
                ps.setObject(2, now);
                ps.setArray(3, idArray);
                ps.setArray(4, dataArray);
                ps.executeUpdate();
            } finally {
                idArray.free();
                dataArray.free();
            }
        });
    }

    /**
     * The background route's step: folds the journal until it is empty (or what is left is another hub's), at most
     * {@code batch} rows per transaction. A failed fold is logged and left to the next run (its rows stay).
     */
    public Folded foldPending(int batch) {
        Folded total = new Folded(0, 0, 0);
        try {
            for (Folded f = fold(batch); ; f = fold(batch)) {
                total = total.plus(f);
                if (f.receipts() < batch) {
                    break;
                }
            }
        } catch (OutboxException e) {
            LOG.warn("folding LINE delivery events failed ({}); they stay in line_delivery_receipt for the next run",
                    e.getCause() == null ? e.toString() : e.getCause().toString());
        }
        if (total.receipts() > 0 && LOG.isDebugEnabled()) {
            LOG.debug("LINE delivery events folded: {} received, {} new, {} notifications DELIVERED", total.receipts(), total.fresh(),
                    total.delivered());
        }
        return total;
    }

    /** One fold: the oldest (at most {@code batch}) journal rows no other hub is folding, in one transaction. */
    public Folded fold(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("the fold batch (hub.webhook.fold-batch) must be at least 1, was " + batch);
        }
        oneFoldAtATime.lock();
        try {
            return foldInTransaction(batch);
        } finally {
            oneFoldAtATime.unlock();
        }
    }

    private record Receipt(long seq, String eventId, String channel, String data) {
    }

    private Folded foldInTransaction(int batch) {
        OffsetDateTime now = db.now();
        int[] counts = new int[3];
        List<String[]> moved = new ArrayList<>(); // {channel, operation, type} of each notification made DELIVERED
        db.inTransaction(c -> {
            moved.clear();
            List<Receipt> receipts = oldest(c, batch);
            if (receipts.isEmpty()) {
                return;
            }
            Set<String> fresh = WebhookEventIds.firstSeen(c, receipts.stream().map(Receipt::eventId).toList(), now);
            Map<String, Map<String, List<String>>> tagsByChannel = new TreeMap<>(); // channel -> tag -> its events' ids
            List<String> delivered = new ArrayList<>();
            Set<String> claimed = new HashSet<>();
            for (Receipt r : receipts) {
                if (!fresh.contains(r.eventId()) || !claimed.add(r.eventId())) {
                    continue; // seen before, or the same event twice in this fold
                }
                if (r.data() == null) {
                    continue; // nothing to find
                }
                if (HASHED_NUMBER.matcher(r.data()).matches()) {
                    String[] row = markOne(c, r.channel(), r.data(), now);
                    if (row != null) {
                        delivered.add(row[0]);
                        moved.add(new String[]{r.channel(), row[1], row[2]});
                    }
                } else {
                    tagsByChannel.computeIfAbsent(r.channel(), x -> new TreeMap<>()).computeIfAbsent(r.data(), x -> new ArrayList<>())
                            .add(r.eventId());
                }
            }
            Set<String> deferred = new HashSet<>();
            for (Map.Entry<String, Map<String, List<String>>> channel : tagsByChannel.entrySet()) {
                Marked marked = markByTags(c, channel.getKey(), channel.getValue().keySet(), now);
                delivered.addAll(marked.delivered());
                marked.operationsAndTypes().forEach(ot -> moved.add(new String[]{channel.getKey(), ot[0], ot[1]}));
                marked.busy().forEach(tag -> deferred.addAll(channel.getValue().get(tag)));
            }
            historyBatch(c, delivered, NotificationStatus.DELIVERED, "LINE delivery webhook", now);
            // events whose notification another transaction holds (LINE's answer being recorded): not seen yet, their
            // rows stay for the next fold
            WebhookEventIds.forget(c, deferred);
            List<Receipt> done = deferred.isEmpty() ? receipts : receipts.stream().filter(r -> !deferred.contains(r.eventId())).toList();
            delete(c, done);
            counts[0] = done.size();
            counts[1] = claimed.size() - deferred.size();
            counts[2] = delivered.size();
        });
        count(moved);
        return new Folded(counts[0], counts[1], counts[2]);
    }

    /** The oldest journal rows, locked (those another hub's fold holds are skipped). */
    private static List<Receipt> oldest(Connection c, int batch) throws SQLException {
        List<Receipt> receipts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, channel, delivery_data FROM line_delivery_receipt"
                + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    receipts.add(new Receipt(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return receipts;
    }

    private static void delete(Connection c, List<Receipt> receipts) throws SQLException {
        Array seqs = c.createArrayOf("bigint", receipts.stream().map(Receipt::seq).toArray(Long[]::new));
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM line_delivery_receipt WHERE seq = ANY(?)")) {
            ps.setArray(1, seqs);
            ps.executeUpdate();
        } finally {
            seqs.free();
        }
    }

    /** Journal rows not folded yet (all hubs). */
    public long pending() {
        long[] n = {0};
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM line_delivery_receipt"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                n[0] = rs.getLong(1);
            }
        });
        return n[0];
    }

    /** What {@link #markByTags} did: the notifications now DELIVERED, and the tags whose notification another transaction holds. */
    private record Marked(List<String> delivered, Set<String> busy, List<String[]> operationsAndTypes) {
    }

    /**
     * Marks the notifications with these delivery tags DELIVERED, never waiting for a row lock: the rows are locked
     * first with {@code SKIP LOCKED} (a lock not had at once is skipped, never waited for), so a fold and the outcome
     * writers, which update the same rows, never wait for each other in a circle (PostgreSQL broke such deadlocks by failing one of them). A tag whose awaiting
     * notification is held by another transaction comes back as busy.
     */
    private static Marked markByTags(Connection c, String channel, Set<String> tags, OffsetDateTime now) throws SQLException {
        Map<String, String> locked = new TreeMap<>(); // id -> tag: the notifications this fold marks
        List<String[]> operationsAndTypes = new ArrayList<>();
        Array array = c.createArrayOf("varchar", tags.toArray(new String[0]));
        try {
            // by the delivery tag alone (unique): the one plan that stays cheap whatever the table's statistics say. With
            // the channel and the statuses in the WHERE, PostgreSQL's generic plan for this prepared statement, made
            // while the table looked small, combined the channel and status indexes and filtered every awaiting row by
            // tag: 2-13 s a fold at 100,000 notifications (docs/performance.md, issue 19). The channel and the status
            // are checked here; a row locked that does not match stays as it is (the lock ends with the fold).
            Set<String> lockedTags = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(LOCK_BY_TAGS)) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lockedTags.add(rs.getString(2));
                        if (channel.equals(rs.getString(5)) && AWAITING_STATUSES.contains(rs.getString(6))) {
                            locked.put(rs.getString(1), rs.getString(2));
                            operationsAndTypes.add(new String[]{rs.getString(3), rs.getString(4)});
                        }
                    }
                }
            }
            Set<String> busy = new HashSet<>();
            if (lockedTags.size() < tags.size()) {
                // the tags not locked: no notification with the tag (nothing to do), or one another transaction holds;
                // only one of the channel still awaiting its delivery is worth another fold
                try (PreparedStatement ps = c.prepareStatement("SELECT delivery_tag, channel, status FROM notification WHERE delivery_tag = ANY(?)")) {
                    ps.setArray(1, array);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (!lockedTags.contains(rs.getString(1)) && channel.equals(rs.getString(2)) && AWAITING_STATUSES.contains(rs.getString(3))) {
                                busy.add(rs.getString(1));
                            }
                        }
                    }
                }
            }
            List<String> ids = new ArrayList<>(locked.keySet());
            if (!ids.isEmpty()) {
                Array idArray = c.createArrayOf("varchar", ids.toArray(new String[0]));
                try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?,"
                        + " lease_owner = NULL, lease_until = NULL WHERE id = ANY(?)")) {
                    ps.setObject(1, now);
                    ps.setObject(2, now);
                    ps.setArray(3, idArray);
                    ps.executeUpdate();
                } finally {
                    idArray.free();
                }
            }
            return new Marked(ids, busy, operationsAndTypes);
        } finally {
            array.free();
        }
    }

    /**
     * One event whose {@code delivery.data} looks like a hashed number: its delivery tag if some notification was sent
     * with it, else the oldest SENT/UNCERTAIN notification for that hash on the channel. The marked row's {id, operation, type}, or null.
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
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?,"
                + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND status IN (" + AWAITING + ")")) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setString(3, found[0]);
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
        boolean[] marked = {false};
        List<String[]> moved = new ArrayList<>();
        db.inTransaction(c -> {
            String[] row = markOne(c, channel, deliveryData, now);
            if (row != null) {
                historyBatch(c, List.of(row[0]), NotificationStatus.DELIVERED, "LINE delivery webhook", now);
                marked[0] = true;
                moved.add(new String[]{channel, row[1], row[2]});
            }
        });
        count(moved);
        return marked[0];
    }
}
