package io.linehub.outbox;

import io.linehub.line.LineApiException;
import io.linehub.line.LineErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The durable outbox: the single source of truth of every notification's fate. Claims take rows with
 * {@code FOR UPDATE SKIP LOCKED} and put a lease on them, so several dispatchers (or hub nodes) never take
 * the same row and a crashed claimer's rows come back.
 */
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final String nodeId;
    private final Duration lease;
    private final int maxAttempts;

    public Outbox(DataSource dataSource, Clock clock, String nodeId, Duration lease, int maxAttempts) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.nodeId = nodeId;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Stores a notification as QUEUED. With an idempotency key already used: the earlier one, or a conflict. */
    public EnqueueResult enqueue(NewNotification n) {
        try (Connection c = dataSource.getConnection()) {
            if (n.idempotencyKey() != null) {
                Optional<EnqueueResult> earlier = findByIdempotencyKey(c, n);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            String id = UUID.randomUUID().toString();
            OffsetDateTime now = now();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification (id, type, channel, line_operation, status, customer_id,"
                    + " recipient_hash, recipient_masked, recipient_country, language, data, line_request, delivery_tag, idempotency_key,"
                    + " request_digest, attempts, next_attempt_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?)")) {
                int i = 1;
                ps.setString(i++, id);
                ps.setString(i++, n.type());
                ps.setString(i++, n.channel());
                ps.setString(i++, n.lineOperation());
                ps.setString(i++, NotificationStatus.QUEUED.name());
                ps.setString(i++, n.customerId());
                ps.setString(i++, n.recipientHash());
                ps.setString(i++, n.recipientMasked());
                ps.setString(i++, n.recipientCountry());
                ps.setString(i++, n.language());
                ps.setString(i++, n.dataJson());
                ps.setString(i++, n.lineRequestJson());
                ps.setString(i++, id);
                ps.setString(i++, n.idempotencyKey());
                ps.setString(i++, n.requestDigest());
                ps.setObject(i++, now);
                ps.setObject(i++, now);
                ps.setObject(i, now);
                ps.executeUpdate();
                history(c, id, NotificationStatus.QUEUED, null, now);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (n.idempotencyKey() != null) {
                    // a concurrent request with the same key won the insert
                    Optional<EnqueueResult> earlier = findByIdempotencyKey(c, n);
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                }
                throw e;
            }
            return new EnqueueResult(id, NotificationStatus.QUEUED, true);
        } catch (SQLException e) {
            throw new OutboxException("could not store the notification", e);
        }
    }

    private Optional<EnqueueResult> findByIdempotencyKey(Connection c, NewNotification n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, status, request_digest FROM notification WHERE idempotency_key = ?")) {
            ps.setString(1, n.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (!rs.getString("request_digest").equals(n.requestDigest())) {
                    throw new IdempotencyConflictException(rs.getString("id"));
                }
                return Optional.of(new EnqueueResult(rs.getString("id"), NotificationStatus.valueOf(rs.getString("status")), false));
            }
        }
    }

    /**
     * Claims up to {@code max} due notifications for this node and marks them SENDING with a lease.
     * First returns the rows of dispatchers whose lease ran out (see {@link #recoverExpiredLeases()}).
     */
    public List<OutboxEntry> claimDue(int max) {
        recoverExpiredLeases();
        OffsetDateTime now = now();
        List<OutboxEntry> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notification WHERE status IN ('QUEUED','RETRY_WAIT')"
                        + " AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setObject(1, now);
                    ps.setInt(2, max);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                for (String id : ids) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'SENDING', attempts = attempts + 1,"
                            + " lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?")) {
                        ps.setString(1, nodeId);
                        ps.setObject(2, now.plus(lease));
                        ps.setObject(3, now);
                        ps.setString(4, id);
                        ps.executeUpdate();
                    }
                    history(c, id, NotificationStatus.SENDING, null, now);
                    try (PreparedStatement ps = c.prepareStatement("SELECT channel, line_operation, line_request, delivery_tag, attempts FROM notification WHERE id = ?")) {
                        ps.setString(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            claimed.add(new OutboxEntry(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getInt(5), now.toInstant()));
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new OutboxException("could not claim notifications", e);
        }
        return claimed;
    }

    /**
     * Rows left SENDING by a dispatcher that stopped (crash, kill) before recording LINE's answer. LINE
     * notification messages have no retry key, so such a row may already have reached LINE: it becomes
     * UNCERTAIN and is not re-sent blindly.
     */
    public int recoverExpiredLeases() {
        OffsetDateTime now = now();
        int n = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notification WHERE status = 'SENDING' AND lease_until < ? FOR UPDATE SKIP LOCKED")) {
                ps.setObject(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                n += transition(c, id, NotificationStatus.UNCERTAIN, "the hub stopped while sending; LINE may have received it", now, null);
            }
            c.commit();
        } catch (SQLException e) {
            throw new OutboxException("could not recover expired leases", e);
        }
        if (n > 0) {
            LOG.warn("{} notification(s) were left SENDING by a stopped dispatcher and are now UNCERTAIN", n);
        }
        return n;
    }

    /** LINE accepted the request. */
    public void recordSent(String id, int attempt, Instant startedAt, int httpStatus, String lineRequestId) {
        OffsetDateTime now = now();
        inTransaction(c -> {
            attempt(c, id, attempt, startedAt, now, httpStatus, "SENT", lineRequestId, null);
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'SENT', sent_at = ?, updated_at = ?,"
                    + " lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = ? AND status = 'SENDING'")) {
                ps.setObject(1, now);
                ps.setObject(2, now);
                ps.setString(3, id);
                if (ps.executeUpdate() == 1) {
                    history(c, id, NotificationStatus.SENT, null, now);
                }
            }
        });
    }

    /** LINE refused the request, or it got no answer: decide what happens next from LINE's classification. */
    public NotificationStatus recordFailure(String id, String lineOperation, int attempt, Instant startedAt, Throwable failure) {
        OffsetDateTime now = now();
        NotificationStatus next;
        String reason = failure.getMessage();
        OffsetDateTime retryAt = null;
        Integer status = null;
        String requestId = null;
        if (failure instanceof LineApiException e) {
            status = e.status() == 0 ? null : e.status();
            requestId = e.lineRequestId();
            boolean mayResend = e.certainlyNotSent() || retryKeyCovers(lineOperation);
            if (e.kind() == LineErrorKind.FINAL) {
                next = NotificationStatus.FAILED;
            } else if (!mayResend) {
                next = NotificationStatus.UNCERTAIN;
            } else if (attempt >= maxAttempts) {
                next = NotificationStatus.FAILED;
                reason = "gave up after " + attempt + " attempts: " + reason;
            } else {
                next = NotificationStatus.RETRY_WAIT;
                Duration wait = e.kind() == LineErrorKind.QUOTA_EXHAUSTED ? Duration.ofHours(1) : backoff(attempt);
                retryAt = now.plus(wait);
            }
        } else {
            next = NotificationStatus.FAILED;
            reason = "could not send: " + reason;
        }
        String finalReason = reason;
        OffsetDateTime finalRetryAt = retryAt;
        Integer finalStatus = status;
        String finalRequestId = requestId;
        inTransaction(c -> {
            attempt(c, id, attempt, startedAt, now, finalStatus, next.name(), finalRequestId, finalReason);
            if (transition(c, id, next, finalReason, now, finalRetryAt) == 0) {
                LOG.warn("notification {} was no longer SENDING when LINE's answer arrived", id);
            }
        });
        return next;
    }

    private static boolean retryKeyCovers(String lineOperation) {
        return !lineOperation.startsWith("pnp-");
    }

    /** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes. */
    static Duration backoff(int attempt) {
        long capMillis = Math.min(300_000L, 1000L << Math.min(attempt - 1, 20));
        return Duration.ofMillis(capMillis / 2 + ThreadLocalRandom.current().nextLong(capMillis / 2 + 1));
    }

    /**
     * LINE's delivery webhook: {@code delivery.data} is the delivery tag we sent (our notification id) or,
     * when none was sent, the hashed phone number.
     *
     * @return whether a notification was marked DELIVERED
     */
    public boolean markDelivered(String channel, String deliveryData) {
        OffsetDateTime now = now();
        boolean[] marked = {false};
        inTransaction(c -> {
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
            if (id != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?"
                        + " WHERE id = ? AND status IN ('SENT','UNCERTAIN','SENDING','UNDELIVERED')")) {
                    ps.setObject(1, now);
                    ps.setObject(2, now);
                    ps.setString(3, id);
                    if (ps.executeUpdate() == 1) {
                        history(c, id, NotificationStatus.DELIVERED, "LINE delivery webhook", now);
                        marked[0] = true;
                    }
                }
            }
        });
        return marked[0];
    }

    /** The notification, its attempts and its status history, as the API shows them. */
    public Optional<Map<String, Object>> view(String id) {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> v = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type, channel, line_operation, status, customer_id, recipient_masked,"
                    + " recipient_country, language, attempts, last_error, created_at, updated_at, sent_at, delivered_at, next_attempt_at"
                    + " FROM notification WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    v.put("id", rs.getString("id"));
                    v.put("type", rs.getString("type"));
                    v.put("status", rs.getString("status"));
                    v.put("channel", rs.getString("channel"));
                    v.put("lineOperation", rs.getString("line_operation"));
                    Map<String, Object> recipient = new LinkedHashMap<>();
                    recipient.put("customerId", rs.getString("customer_id"));
                    recipient.put("phone", rs.getString("recipient_masked"));
                    recipient.put("country", rs.getString("recipient_country"));
                    recipient.put("language", rs.getString("language"));
                    v.put("recipient", recipient);
                    v.put("attemptCount", rs.getInt("attempts"));
                    v.put("lastError", rs.getString("last_error"));
                    v.put("createdAt", instant(rs, "created_at"));
                    v.put("updatedAt", instant(rs, "updated_at"));
                    v.put("sentAt", instant(rs, "sent_at"));
                    v.put("deliveredAt", instant(rs, "delivered_at"));
                    if ("RETRY_WAIT".equals(rs.getString("status"))) {
                        v.put("nextAttemptAt", instant(rs, "next_attempt_at"));
                    }
                }
            }
            List<Map<String, Object>> attempts = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT attempt_no, started_at, finished_at, http_status, outcome, line_request_id, error"
                    + " FROM notification_attempt WHERE notification_id = ? ORDER BY id")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> a = new LinkedHashMap<>();
                        a.put("attempt", rs.getInt("attempt_no"));
                        a.put("startedAt", instant(rs, "started_at"));
                        a.put("finishedAt", instant(rs, "finished_at"));
                        int http = rs.getInt("http_status");
                        a.put("httpStatus", rs.wasNull() ? null : http);
                        a.put("outcome", rs.getString("outcome"));
                        a.put("lineRequestId", rs.getString("line_request_id"));
                        a.put("error", rs.getString("error"));
                        attempts.add(a);
                    }
                }
            }
            v.put("attempts", attempts);
            List<Map<String, Object>> history = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT status, changed_at, reason FROM notification_status_history"
                    + " WHERE notification_id = ? ORDER BY id")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> h = new LinkedHashMap<>();
                        h.put("status", rs.getString("status"));
                        h.put("at", instant(rs, "changed_at"));
                        h.put("reason", rs.getString("reason"));
                        history.add(h);
                    }
                }
            }
            v.put("history", history);
            return Optional.of(v);
        } catch (SQLException e) {
            throw new OutboxException("could not read notification", e);
        }
    }

    private static String instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }

    private int transition(Connection c, String id, NotificationStatus to, String reason, OffsetDateTime now, OffsetDateTime retryAt) throws SQLException {
        String sql = "UPDATE notification SET status = ?, last_error = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL"
                + (retryAt != null ? ", next_attempt_at = ?" : "") + " WHERE id = ? AND status = 'SENDING'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, to.name());
            ps.setString(i++, truncate(reason));
            ps.setObject(i++, now);
            if (retryAt != null) {
                ps.setObject(i++, retryAt);
            }
            ps.setString(i, id);
            int n = ps.executeUpdate();
            if (n == 1) {
                history(c, id, to, reason, now);
            }
            return n;
        }
    }

    private static void attempt(Connection c, String id, int attempt, Instant startedAt, OffsetDateTime finishedAt, Integer httpStatus,
                                String outcome, String lineRequestId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_attempt (notification_id, attempt_no, started_at, finished_at,"
                + " http_status, outcome, line_request_id, error) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, id);
            ps.setInt(2, attempt);
            ps.setObject(3, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC));
            ps.setObject(4, finishedAt);
            if (httpStatus == null) {
                ps.setNull(5, java.sql.Types.INTEGER);
            } else {
                ps.setInt(5, httpStatus);
            }
            ps.setString(6, outcome);
            ps.setString(7, lineRequestId);
            ps.setString(8, truncate(error));
            ps.executeUpdate();
        }
    }

    private static void history(Connection c, String id, NotificationStatus status, String reason, OffsetDateTime at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_status_history (notification_id, status, changed_at, reason) VALUES (?,?,?,?)")) {
            ps.setString(1, id);
            ps.setString(2, status.name());
            ps.setObject(3, at);
            ps.setString(4, truncate(reason));
            ps.executeUpdate();
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new OutboxException("outbox update failed", e);
        }
    }
}
