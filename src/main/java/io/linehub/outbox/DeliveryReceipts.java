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
import java.util.Set;
import java.util.TreeSet;
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
     * Whether the database is PostgreSQL; null until the first transaction. Elsewhere (the embedded H2, which one hub
     * process opens) the transactions run one at a time: H2's {@code ON CONFLICT DO NOTHING} does not wait for an
     * id another transaction inserted and has not committed, so two requests carrying one event could each skip it.
     */
    private volatile Boolean postgres;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public DeliveryReceipts(DataSource dataSource, Clock clock) {
        this.db = new OutboxDatabase(dataSource, clock);
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

    /** Records a request's delivery events in one transaction (retried as a whole when it fails, e.g. on a deadlock). */
    public Recorded record(String channel, List<LineDeliveryEvent> events) {
        for (int attempt = 1; ; attempt++) {
            try {
                return recordOnce(channel, events);
            } catch (OutboxException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.warn("recording {} delivery events on channel {} failed ({}); trying again", events.size(), channel,
                        e.getCause() == null ? e.toString() : e.getCause().toString());
            }
        }
    }

    private Recorded recordOnce(String channel, List<LineDeliveryEvent> events) {
        if (Boolean.TRUE.equals(postgres)) {
            return recordInTransaction(channel, events);
        }
        oneAtATime.lock();
        try {
            return recordInTransaction(channel, events);
        } finally {
            oneAtATime.unlock();
        }
    }

    private Recorded recordInTransaction(String channel, List<LineDeliveryEvent> events) {
        OffsetDateTime now = db.now();
        int[] counts = new int[2];
        db.inTransaction(c -> {
            if (postgres == null) {
                postgres = WebhookEventIds.isPostgres(c);
            }
            Set<String> fresh = WebhookEventIds.firstSeen(c, events.stream().map(LineDeliveryEvent::webhookEventId).toList(), now);
            Set<String> tags = new TreeSet<>();
            List<String> hashed = new ArrayList<>();
            Set<String> counted = new java.util.HashSet<>();
            for (LineDeliveryEvent e : events) {
                if (e.data() == null || !fresh.contains(e.webhookEventId()) || !counted.add(e.webhookEventId())) {
                    continue; // nothing to find, seen before, or the same event twice in this request
                }
                if (HASHED_NUMBER.matcher(e.data()).matches()) {
                    hashed.add(e.data());
                } else {
                    tags.add(e.data());
                }
            }
            List<String> delivered = markByTags(c, channel, tags, now);
            for (String data : hashed) {
                String id = markOne(c, channel, data, now);
                if (id != null) {
                    delivered.add(id);
                }
            }
            historyBatch(c, delivered, NotificationStatus.DELIVERED, "LINE delivery webhook", now);
            counts[0] = fresh.size();
            counts[1] = delivered.size();
        });
        return new Recorded(events.size(), counts[0], counts[1]);
    }

    /** One UPDATE for all delivery tags; the ids of the notifications it moved to DELIVERED. */
    private static List<String> markByTags(Connection c, String channel, Set<String> tags, OffsetDateTime now) throws SQLException {
        List<String> ids = new ArrayList<>();
        if (tags.isEmpty()) {
            return ids;
        }
        String update = "UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL"
                + " WHERE channel = ? AND delivery_tag = ANY(?) AND status IN (" + AWAITING + ")";
        String sql = WebhookEventIds.isPostgres(c) ? update + " RETURNING id" : "SELECT id FROM FINAL TABLE (" + update + ")";
        Array array = c.createArrayOf("varchar", tags.toArray(new String[0]));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setString(3, channel);
            ps.setArray(4, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } finally {
            array.free();
        }
        return ids;
    }

    /**
     * One event whose {@code delivery.data} looks like a hashed number: its delivery tag if some notification was sent
     * with it, else the oldest SENT/UNCERTAIN notification for that hash on the channel. The id marked, or null.
     */
    private static String markOne(Connection c, String channel, String deliveryData, OffsetDateTime now) throws SQLException {
        String id = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notification WHERE channel = ? AND delivery_tag = ?")) {
            ps.setString(1, channel);
            ps.setString(2, deliveryData);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    id = rs.getString(1);
                }
            }
        }
        if (id == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notification WHERE channel = ? AND recipient_hash = ?"
                    + " AND status IN ('SENT','UNCERTAIN') ORDER BY sent_at LIMIT 1")) {
                ps.setString(1, channel);
                ps.setString(2, deliveryData);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString(1);
                    }
                }
            }
        }
        if (id == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?,"
                + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND status IN (" + AWAITING + ")")) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setString(3, id);
            return ps.executeUpdate() == 1 ? id : null;
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
        db.inTransaction(c -> {
            String id = markOne(c, channel, deliveryData, now);
            if (id != null) {
                historyBatch(c, List.of(id), NotificationStatus.DELIVERED, "LINE delivery webhook", now);
                marked[0] = true;
            }
        });
        return marked[0];
    }
}
