package io.linehub.outbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The durable outbox: the single source of truth of every notification's fate. Claims take rows with
 * {@code FOR UPDATE SKIP LOCKED} and put a lease on them, so several dispatchers (or hub nodes) never take
 * the same row and a stopped claimer's rows come back. Identical pushes are packed into multicast batches
 * inside the claim transaction, so a batch (and its retry key) survives a crash as one unit.
 */
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /**
     * Notification and batch IDs: UUIDv7 (RFC 9562), time-ordered, so that new rows go to the end of every index on
     * an ID (the notification's own, its history's and attempts' {@code notification_id}) instead of to a random page
     * of each — with random IDs, H2 rewrote about three random pages per new row and commit.
     */
    private static final com.fasterxml.uuid.impl.TimeBasedEpochGenerator IDS = com.fasterxml.uuid.Generators.timeBasedEpochGenerator();

    static String newId() {
        return IDS.generate().toString();
    }
    static final Set<String> HOURLY_OPERATIONS = Set.of("broadcast", "narrowcast");
    static final int MULTICAST_MAX = 500;

    private final DataSource dataSource;
    private final Clock clock;
    private final String nodeId;
    private final OutboxSettings settings;
    /** Lease recovery and the hourly operations' budget take a few queries each: done once a second, not every claim. */
    static final long PERIODIC_CLAIM_WORK_NANOS = 1_000_000_000L;
    private volatile long lastRecovery;
    private volatile long lastHourly;

    public Outbox(DataSource dataSource, Clock clock, String nodeId, OutboxSettings settings) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.nodeId = nodeId;
        this.settings = settings;
    }

    public Outbox(DataSource dataSource, Clock clock, String nodeId, Duration lease, int maxAttempts) {
        this(dataSource, clock, nodeId, new OutboxSettings(lease, maxAttempts, OutboxSettings.defaults().retryWindow(),
                OutboxSettings.defaults().hourlyBudget(), Duration.ZERO, OutboxSettings.defaults().uncertainAfter(),
                OutboxSettings.defaults().uncertainPolicy(), OutboxSettings.defaults().undeliveredAfter()));
    }

    public OutboxSettings settings() {
        return settings;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    // ---------------------------------------------------------------------------------------------- intake

    private static final String INSERT_QUEUED = "INSERT INTO notification (id, type, channel, line_operation, status, customer_id,"
            + " recipient_hash, recipient_masked, recipient_country, language, data, line_request, delivery_tag, idempotency_key,"
            + " request_digest, attempts, next_attempt_at, created_at, updated_at, recipient_user_id, retry_key, content_digest,"
            + " channel_decision, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?,?,?,?)";
    /** Idempotency keys looked up per query by {@link #enqueueAll}. */
    static final int KEYS_PER_LOOKUP = 500;

    /** Stores a notification as QUEUED. With an idempotency key already used: the earlier one, or a conflict. */
    public EnqueueResult enqueue(NewNotification n) {
        try (Connection c = dataSource.getConnection()) {
            if (n.idempotencyKey() != null) {
                Optional<EnqueueResult> earlier = findByIdempotencyKey(c, n);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            String id = newId();
            OffsetDateTime now = now();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT_QUEUED)) {
                bindQueued(ps, id, n, now);
                ps.executeUpdate();
                history(c, id, NotificationStatus.QUEUED, n.channelDecision(), now);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (n.idempotencyKey() != null) {
                    Optional<EnqueueResult> earlier = findByIdempotencyKey(c, n); // a concurrent request with the same key won
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

    /**
     * Stores many notifications (the inbox: a file's rows between two checkpoints) with one look-up of their
     * idempotency keys and JDBC batches for the rows and their history, committed every
     * {@link #ROWS_PER_TRANSACTION} new rows. Each gets the outcome {@link #enqueue} would give it had they been
     * stored one after the other in the list's order: a key used before, in the database or earlier in the list,
     * gives that notification, or a conflict when the request differs. When a transaction fails (another writer
     * stored one of the keys after the look-up) it is rolled back and the rest of the list, from its first row
     * on, is stored one by one with {@link #enqueue}.
     *
     * @return one outcome per notification, in the list's order
     * @throws OutboxException when the database cannot store them (the transactions committed before stay)
     */
    public List<EnqueueOutcome> enqueueAll(List<NewNotification> batch) {
        List<EnqueueOutcome> outcomes = new ArrayList<>(batch.size());
        if (batch.isEmpty()) {
            return outcomes;
        }
        try {
            enqueueTogether(batch, outcomes);
        } catch (SQLException e) {
            // exception types only: database messages can quote row values
            LOG.warn("{} of {} notifications could not be stored together ({}, SQL state {}); storing them one by one",
                    batch.size() - outcomes.size(), batch.size(), e.getClass().getName(), e.getSQLState());
        }
        for (NewNotification n : batch.subList(outcomes.size(), batch.size())) {
            try {
                outcomes.add(EnqueueOutcome.stored(enqueue(n)));
            } catch (IdempotencyConflictException e) {
                outcomes.add(EnqueueOutcome.refused(e));
            }
        }
        return outcomes;
    }

    /**
     * New rows per transaction of {@link #enqueueAll}. H2 2.5.252, the embedded database, can leave a transaction of
     * hundreds of rows half committed, its other rows locked for good, when the process is killed soon after the
     * commit (6 of 30 kills at 500 rows; none of 30 at 20; docs/architecture.md, "Why 20 rows per commit").
     */
    static final int ROWS_PER_TRANSACTION = 20;

    /** Adds to {@code outcomes} the outcome of each notification once it is settled (its transaction committed). */
    private void enqueueTogether(List<NewNotification> batch, List<EnqueueOutcome> outcomes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Earlier> byKey = findByIdempotencyKeys(c, batch);
            List<EnqueueOutcome> planned = new ArrayList<>(batch.size());
            List<Integer> fresh = new ArrayList<>(); // positions in the batch of the new notifications
            for (NewNotification n : batch) {
                Earlier earlier = n.idempotencyKey() == null ? null : byKey.get(n.idempotencyKey());
                if (earlier != null) {
                    try {
                        planned.add(EnqueueOutcome.stored(earlier.resultFor(n)));
                    } catch (IdempotencyConflictException e) {
                        planned.add(EnqueueOutcome.refused(e));
                    }
                    continue;
                }
                String id = newId();
                if (n.idempotencyKey() != null) {
                    byKey.put(n.idempotencyKey(), new Earlier(id, NotificationStatus.QUEUED, n.requestDigest())); // for later rows with this key
                }
                fresh.add(planned.size());
                planned.add(EnqueueOutcome.stored(new EnqueueResult(id, NotificationStatus.QUEUED, true)));
            }
            c.setAutoCommit(false);
            for (int from = 0; from < fresh.size(); from += ROWS_PER_TRANSACTION) {
                List<Integer> chunk = fresh.subList(from, Math.min(fresh.size(), from + ROWS_PER_TRANSACTION));
                outcomes.addAll(planned.subList(outcomes.size(), chunk.get(0))); // settled by the look-up or earlier transactions
                insertQueued(c, chunk.stream().map(i -> planned.get(i).result().id()).toList(), chunk.stream().map(batch::get).toList());
                outcomes.addAll(planned.subList(outcomes.size(), chunk.get(chunk.size() - 1) + 1));
            }
            outcomes.addAll(planned.subList(outcomes.size(), planned.size()));
        }
    }

    /** New notifications and their QUEUED history in one transaction, with JDBC batches. */
    private void insertQueued(Connection c, List<String> ids, List<NewNotification> notifications) throws SQLException {
        OffsetDateTime now = now();
        try {
            Map<String, List<String>> byDecision = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(INSERT_QUEUED)) {
                for (int i = 0; i < ids.size(); i++) {
                    bindQueued(ps, ids.get(i), notifications.get(i), now);
                    ps.addBatch();
                    byDecision.computeIfAbsent(notifications.get(i).channelDecision(), k -> new ArrayList<>()).add(ids.get(i));
                }
                ps.executeBatch();
            }
            // the QUEUED history row's reason is the channel decision: a handful of distinct ones
            for (Map.Entry<String, List<String>> d : byDecision.entrySet()) {
                historyBatch(c, d.getValue(), NotificationStatus.QUEUED, d.getKey(), now);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** The QUEUED row of a new notification, as {@link #INSERT_QUEUED} takes it. */
    private void bindQueued(PreparedStatement ps, String id, NewNotification n, OffsetDateTime now) throws SQLException {
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
        ps.setString(i++, n.lineOperation().startsWith("pnp-") ? id : null);
        ps.setString(i++, n.idempotencyKey());
        ps.setString(i++, n.requestDigest());
        ps.setObject(i++, now);
        ps.setObject(i++, now);
        ps.setObject(i++, now);
        ps.setString(i++, n.recipientUserId());
        ps.setString(i++, n.retryKey());
        ps.setString(i++, n.contentDigest());
        ps.setString(i++, truncate(n.channelDecision(), 300));
        ps.setObject(i, now.plus(settings.retryWindow()));
    }

    /** A notification stored earlier under an idempotency key. */
    private record Earlier(String id, NotificationStatus status, String requestDigest) {

        /** The same request again gets the earlier notification; a different one is a conflict. */
        EnqueueResult resultFor(NewNotification n) {
            if (!requestDigest.equals(n.requestDigest())) {
                throw new IdempotencyConflictException(id);
            }
            return new EnqueueResult(id, status, false);
        }
    }

    private Optional<EnqueueResult> findByIdempotencyKey(Connection c, NewNotification n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, status, request_digest FROM notification WHERE idempotency_key = ?")) {
            ps.setString(1, n.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Earlier(rs.getString("id"), NotificationStatus.valueOf(rs.getString("status")),
                        rs.getString("request_digest")).resultFor(n));
            }
        }
    }

    /** The notifications stored earlier under the batch's idempotency keys, by key. */
    private static Map<String, Earlier> findByIdempotencyKeys(Connection c, List<NewNotification> batch) throws SQLException {
        List<String> keys = batch.stream().map(NewNotification::idempotencyKey).filter(Objects::nonNull).distinct().toList();
        Map<String, Earlier> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP));
            try (PreparedStatement ps = c.prepareStatement("SELECT idempotency_key, id, status, request_digest FROM notification"
                    + " WHERE idempotency_key IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), new Earlier(rs.getString(2), NotificationStatus.valueOf(rs.getString(3)), rs.getString(4)));
                    }
                }
            }
        }
        return found;
    }

    // ---------------------------------------------------------------------------------------------- claims

    private record Row(String id, String channel, String op, String request, String tag, int attempts, String retryKey,
                       String digest, String userId, String batchId) {
    }

    /**
     * Claims up to {@code max} due notifications for this node and marks them SENDING with a lease. Skips paused
     * channels; takes broadcasts and narrowcasts only within the channel's hourly budget; packs identical pushes
     * (same channel and content) into multicast batches of up to 500. First (at most once a second) takes back the
     * rows of stopped dispatchers.
     */
    public List<OutboxEntry> claimDue(int max) {
        long tick = System.nanoTime();
        if (due(lastRecovery, tick)) {
            lastRecovery = tick;
            recoverExpiredLeases();
        }
        boolean hourly = due(lastHourly, tick);
        OffsetDateTime now = now();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Row> rows = new ArrayList<>();
                // one status at a time, so each is a range of the (status, next_attempt_at) index read in order
                // and the scan stops at max rows, however long the queue
                for (String status : List.of("RETRY_WAIT", "QUEUED")) {
                    if (rows.size() >= max) {
                        break;
                    }
                    try (PreparedStatement ps = c.prepareStatement(ROW_SELECT
                            + " WHERE status = ? AND next_attempt_at <= ? AND line_operation NOT IN ('broadcast','narrowcast')"
                            + " AND (line_operation <> 'push' OR batch_id IS NOT NULL OR created_at <= ?)"
                            + " AND channel NOT IN (SELECT channel FROM channel_pause WHERE paused_until > ?)"
                            + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                        ps.setString(1, status);
                        ps.setObject(2, now);
                        ps.setObject(3, now.minus(settings.packingWindow()));
                        ps.setObject(4, now);
                        ps.setInt(5, max - rows.size());
                        readRows(ps, rows);
                    }
                }
                if (hourly) {
                    lastHourly = tick;
                    claimHourly(c, now, rows);
                }
                List<OutboxEntry> entries = toEntries(c, rows, now);
                markSending(c, rows, now);
                c.commit();
                return entries;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new OutboxException("could not claim notifications", e);
        }
    }

    /** Whether a periodic part of the claim (lease recovery, the hourly operations) is due again. */
    private static boolean due(long last, long tick) {
        return last == 0 || tick - last >= PERIODIC_CLAIM_WORK_NANOS;
    }

    /** The columns {@link #readRows} reads, in its order: every claim query starts with it. */
    private static final String ROW_SELECT = "SELECT id, channel, line_operation, line_request, delivery_tag, attempts,"
            + " retry_key, content_digest, recipient_user_id, batch_id FROM notification";

    private static void readRows(PreparedStatement ps, List<Row> rows) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)));
            }
        }
    }

    /** Broadcasts and narrowcasts: at most the hourly budget per channel and operation, counted from the attempts made. */
    private void claimHourly(Connection c, OffsetDateTime now, List<Row> rows) throws SQLException {
        for (String op : HOURLY_OPERATIONS) {
            List<String> channels = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT channel FROM notification WHERE status IN ('QUEUED','RETRY_WAIT')"
                    + " AND line_operation = ? AND next_attempt_at <= ?")) {
                ps.setString(1, op);
                ps.setObject(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        channels.add(rs.getString(1));
                    }
                }
            }
            for (String channel : channels) {
                int used;
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notification_attempt a JOIN notification n ON n.id = a.notification_id"
                        + " WHERE n.channel = ? AND n.line_operation = ? AND a.started_at > ?")) {
                    ps.setString(1, channel);
                    ps.setString(2, op);
                    ps.setObject(3, now.minusHours(1));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        used = rs.getInt(1);
                    }
                }
                int inFlight;
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notification WHERE channel = ? AND line_operation = ? AND status = 'SENDING'")) {
                    ps.setString(1, channel);
                    ps.setString(2, op);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        inFlight = rs.getInt(1);
                    }
                }
                int room = settings.hourlyBudget() - used - inFlight;
                if (room <= 0) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement(ROW_SELECT + " WHERE status IN ('QUEUED','RETRY_WAIT')"
                        + " AND line_operation = ? AND channel = ? AND next_attempt_at <= ?"
                        + " AND channel NOT IN (SELECT channel FROM channel_pause WHERE paused_until > ?)"
                        + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, op);
                    ps.setString(2, channel);
                    ps.setObject(3, now);
                    ps.setObject(4, now);
                    ps.setInt(5, room);
                    readRows(ps, rows);
                }
            }
        }
    }

    /** Singles stay singles; pushes are grouped into multicast batches (existing batches are re-sent as they were). */
    private List<OutboxEntry> toEntries(Connection c, List<Row> rows, OffsetDateTime now) throws SQLException {
        List<OutboxEntry> entries = new ArrayList<>();
        Map<String, List<Row>> existingBatches = new LinkedHashMap<>();
        Map<String, List<Row>> packable = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.batchId() != null) {
                existingBatches.computeIfAbsent(r.batchId(), k -> new ArrayList<>()).add(r);
            } else if (r.op().equals("push") && r.digest() != null && !settings.packingWindow().isZero()) {
                packable.computeIfAbsent(r.channel() + "\u0000" + r.digest(), k -> new ArrayList<>()).add(r);
            } else {
                entries.add(single(r, now));
            }
        }
        for (Map.Entry<String, List<Row>> b : existingBatches.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT channel, retry_key, line_request FROM multicast_batch WHERE id = ?")) {
                ps.setString(1, b.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    // the batch goes out exactly as first sent, so LINE's retry-key memory recognises it
                    entries.add(new OutboxEntry(b.getKey(), rs.getString(1), "multicast", rs.getString(3), null,
                            b.getValue().get(0).attempts() + 1, now.toInstant(), rs.getString(2), b.getValue().stream().map(Row::id).toList()));
                }
            }
        }
        for (List<Row> group : packable.values()) {
            for (int from = 0; from < group.size(); from += MULTICAST_MAX) {
                List<Row> chunk = group.subList(from, Math.min(group.size(), from + MULTICAST_MAX));
                if (chunk.size() == 1) {
                    entries.add(single(chunk.get(0), now));
                } else {
                    entries.add(newBatch(c, chunk, now));
                }
            }
        }
        return entries;
    }

    private static OutboxEntry single(Row r, OffsetDateTime now) {
        return new OutboxEntry(r.id(), r.channel(), r.op(), r.request(), r.tag(), r.attempts() + 1, now.toInstant(), r.retryKey(), null);
    }

    private static OutboxEntry newBatch(Connection c, List<Row> chunk, OffsetDateTime now) throws SQLException {
        String batchId = newId();
        String retryKey = UUID.randomUUID().toString();
        ObjectNode first = (ObjectNode) Json.read(chunk.get(0).request());
        ObjectNode request = Json.MAPPER.createObjectNode();
        ArrayNode to = request.putArray("to");
        chunk.forEach(r -> to.add(r.userId()));
        for (var it = first.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getKey().equals("to")) {
                request.set(f.getKey(), f.getValue());
            }
        }
        String json = Json.write(request);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO multicast_batch (id, channel, retry_key, line_request, recipients, created_at)"
                + " VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, batchId);
            ps.setString(2, chunk.get(0).channel());
            ps.setString(3, retryKey);
            ps.setString(4, json);
            ps.setInt(5, chunk.size());
            ps.setObject(6, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET batch_id = ? WHERE id = ?")) {
            for (Row r : chunk) {
                ps.setString(1, batchId);
                ps.setString(2, r.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return new OutboxEntry(batchId, chunk.get(0).channel(), "multicast", json, null, chunk.get(0).attempts() + 1, now.toInstant(),
                retryKey, chunk.stream().map(Row::id).toList());
    }

    private void markSending(Connection c, List<Row> rows, OffsetDateTime now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        // one statement for the whole claim (an array of ids), not one per row
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'SENDING', attempts = attempts + 1,"
                + " lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ANY(?)")) {
            ps.setString(1, nodeId);
            ps.setObject(2, now.plus(settings.lease()));
            ps.setObject(3, now);
            ps.setArray(4, c.createArrayOf("VARCHAR", rows.stream().map(Row::id).toArray()));
            ps.executeUpdate();
        }
        historyBatch(c, rows.stream().map(Row::id).toList(), NotificationStatus.SENDING, null, now);
    }

    /**
     * Rows left SENDING by a dispatcher that stopped (crash, kill) before recording LINE's answer. Operations
     * with a retry key go back to RETRY_WAIT: re-sending them with the same key is safe (LINE answers 409 if
     * it had accepted them). LINE notification messages have no retry key and may already have reached LINE:
     * they become UNCERTAIN and are not re-sent blindly.
     */
    public int recoverExpiredLeases() {
        OffsetDateTime now = now();
        int n = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<String[]> expired = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, line_operation FROM notification WHERE status = 'SENDING' AND lease_until < ?"
                    + " FOR UPDATE SKIP LOCKED")) {
                ps.setObject(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        expired.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
            }
            for (String[] e : expired) {
                if (e[1].startsWith("pnp-")) {
                    n += transition(c, e[0], NotificationStatus.UNCERTAIN, "the hub stopped while sending; LINE may have received it", now, null);
                } else {
                    n += transition(c, e[0], NotificationStatus.RETRY_WAIT, "the hub stopped while sending; will resend with the same retry key", now, now);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new OutboxException("could not recover expired leases", e);
        }
        if (n > 0) {
            LOG.warn("{} notification(s) were left SENDING by a stopped dispatcher and were recovered", n);
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------- outcomes

    /** LINE's answer to one request (or its absence): accepted when {@code failure} is null. */
    public record Outcome(OutboxEntry entry, Instant startedAt, Integer httpStatus, String lineRequestId, Throwable failure) {
        public static Outcome sent(OutboxEntry entry, Instant startedAt, Integer httpStatus, String lineRequestId) {
            return new Outcome(entry, startedAt, httpStatus, lineRequestId, null);
        }

        public static Outcome failed(OutboxEntry entry, Instant startedAt, Throwable failure) {
            return new Outcome(entry, startedAt, null, null, failure);
        }
    }

    /** What an outcome does to its notifications. */
    private record Decision(NotificationStatus next, String reason, String historyReason, OffsetDateTime retryAt, Integer httpStatus,
                            String lineRequestId, String pauseReason) {
    }

    /** LINE accepted the request (also 409 with an accepted request ID: it had been sent before). */
    public void recordSent(OutboxEntry entry, Instant startedAt, int httpStatus, String lineRequestId) {
        recordOutcomes(List.of(Outcome.sent(entry, startedAt, httpStatus, lineRequestId)));
    }

    private static List<String> members(OutboxEntry entry) {
        return entry.isBatch() ? entry.memberIds() : List.of(entry.id());
    }

    /** LINE refused the request, or it got no answer: decide what happens next from LINE's classification. */
    public NotificationStatus recordFailure(OutboxEntry entry, Instant startedAt, Throwable failure) {
        return recordOutcomes(List.of(Outcome.failed(entry, startedAt, failure))).get(0);
    }

    /**
     * Records many answers in one transaction (group commit: three batched statements for all of them), each
     * notification moving on only if it is still SENDING. Returns each outcome's next status, in order.
     */
    public List<NotificationStatus> recordOutcomes(List<Outcome> outcomes) {
        OffsetDateTime now = now();
        List<Decision> decisions = outcomes.stream().map(o -> decide(o, now)).toList();
        for (int k = 0; k < outcomes.size(); k++) {
            if (decisions.get(k).pauseReason() != null) {
                pauseChannel(outcomes.get(k).entry().channel(), now.plusHours(1), decisions.get(k).pauseReason());
            }
        }
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_attempt (notification_id, attempt_no, started_at, finished_at,"
                    + " http_status, outcome, line_request_id, error) VALUES (?,?,?,?,?,?,?,?)")) {
                for (int k = 0; k < outcomes.size(); k++) {
                    Outcome o = outcomes.get(k);
                    Decision d = decisions.get(k);
                    for (String id : members(o.entry())) {
                        ps.setString(1, id);
                        ps.setInt(2, o.entry().attempt());
                        ps.setObject(3, OffsetDateTime.ofInstant(o.startedAt(), ZoneOffset.UTC));
                        ps.setObject(4, now);
                        if (d.httpStatus() == null) {
                            ps.setNull(5, java.sql.Types.INTEGER);
                        } else {
                            ps.setInt(5, d.httpStatus());
                        }
                        ps.setString(6, d.next().name());
                        ps.setString(7, d.lineRequestId());
                        ps.setString(8, truncate(d.reason(), 2000));
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            List<String> changed = new ArrayList<>();
            List<Decision> changedDecisions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = ?, last_error = ?, updated_at = ?,"
                    + " lease_owner = NULL, lease_until = NULL, next_attempt_at = COALESCE(?, next_attempt_at), sent_at = COALESCE(?, sent_at),"
                    + " line_request_id = COALESCE(?, line_request_id) WHERE id = ? AND status = 'SENDING'")) {
                List<String> ids = new ArrayList<>();
                List<Decision> idDecisions = new ArrayList<>();
                for (int k = 0; k < outcomes.size(); k++) {
                    Decision d = decisions.get(k);
                    boolean sent = d.next() == NotificationStatus.SENT;
                    for (String id : members(outcomes.get(k).entry())) {
                        ps.setString(1, d.next().name());
                        ps.setString(2, sent ? null : truncate(d.reason(), 2000));
                        ps.setObject(3, now);
                        if (d.retryAt() == null) {
                            ps.setNull(4, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                        } else {
                            ps.setObject(4, d.retryAt());
                        }
                        if (sent) {
                            ps.setObject(5, now);
                        } else {
                            ps.setNull(5, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                        }
                        ps.setString(6, sent ? d.lineRequestId() : null);
                        ps.setString(7, id);
                        ps.addBatch();
                        ids.add(id);
                        idDecisions.add(d);
                    }
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 0) {
                        changed.add(ids.get(i));
                        changedDecisions.add(idDecisions.get(i));
                    } else if (idDecisions.get(i).next() != NotificationStatus.SENT) {
                        LOG.warn("notification {} was no longer SENDING when LINE's answer arrived", ids.get(i));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_status_history (notification_id, status, changed_at, reason) VALUES (?,?,?,?)")) {
                for (int i = 0; i < changed.size(); i++) {
                    ps.setString(1, changed.get(i));
                    ps.setString(2, changedDecisions.get(i).next().name());
                    ps.setObject(3, now);
                    ps.setString(4, truncate(changedDecisions.get(i).historyReason(), 2000));
                    ps.addBatch();
                }
                if (!changed.isEmpty()) {
                    ps.executeBatch();
                }
            }
        });
        return decisions.stream().map(Decision::next).toList();
    }

    private Decision decide(Outcome o, OffsetDateTime now) {
        OutboxEntry entry = o.entry();
        Throwable failure = o.failure();
        if (failure == null) {
            String why = entry.isBatch() ? "multicast of " + entry.memberIds().size()
                    : entry.lineOperation().equals("narrowcast") ? "narrowcast accepted; progress is polled" : null;
            return new Decision(NotificationStatus.SENT, null, why, null, o.httpStatus(), o.lineRequestId(), null);
        }
        String reason = failure.getMessage();
        if (!(failure instanceof LineApiException e)) {
            reason = "could not send: " + reason;
            return new Decision(NotificationStatus.FAILED, reason, reason, null, null, null, null);
        }
        Integer status = e.status() == 0 ? null : e.status();
        boolean mayResend = e.certainlyNotSent() || !entry.lineOperation().startsWith("pnp-");
        NotificationStatus next;
        OffsetDateTime retryAt = null;
        String pause = null;
        if (e.kind() == LineErrorKind.FINAL) {
            next = NotificationStatus.FAILED;
        } else if (e.kind() == LineErrorKind.QUOTA_EXHAUSTED) {
            next = NotificationStatus.RETRY_WAIT;
            retryAt = now.plusHours(1);
            pause = "LINE's monthly message limit is reached: " + e.lineMessage();
        } else if (!mayResend) {
            next = NotificationStatus.UNCERTAIN;
        } else if (entry.attempt() >= settings.maxAttempts()) {
            next = NotificationStatus.FAILED;
            reason = "gave up after " + entry.attempt() + " attempts: " + reason;
        } else {
            next = NotificationStatus.RETRY_WAIT;
            retryAt = now.plus(backoff(entry.attempt()));
        }
        return new Decision(next, reason, reason, retryAt, status, e.lineRequestId(), pause);
    }

    /** Not sent now, for a reason that is not a failed attempt (e.g. the monthly quota would not fit): wait and try later. */
    public void hold(OutboxEntry entry, Duration wait, String reason) {
        OffsetDateTime now = now();
        inTransaction(c -> {
            for (String id : members(entry)) {
                if (transition(c, id, NotificationStatus.RETRY_WAIT, reason, now, now.plus(wait)) == 1) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET attempts = attempts - 1 WHERE id = ? AND attempts > 0")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
            }
        });
        LOG.warn("{} {} {}", entry.isBatch() ? "batch" : "notification", entry.id(), reason);
    }

    /** Exponential backoff with jitter: about 1 s, 2 s, 4 s … capped at 5 minutes. */
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
                try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?,"
                        + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND status IN ('SENT','UNCERTAIN','SENDING','UNDELIVERED','RETRY_WAIT','QUEUED')")) {
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

    // ---------------------------------------------------------------------------------------------- narrowcast

    /** Accepted narrowcasts whose progress is still to be read: id and LINE request ID. */
    public List<String[]> narrowcastsInProgress(int max) {
        List<String[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, channel, line_request_id FROM notification"
                + " WHERE line_operation = 'narrowcast' AND status = 'SENT' AND line_request_id IS NOT NULL ORDER BY sent_at LIMIT ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        } catch (SQLException e) {
            throw new OutboxException("could not read narrowcasts", e);
        }
        return out;
    }

    /** The narrowcast's progress reached a final phase. */
    public void recordNarrowcastOutcome(String id, boolean succeeded, String detail) {
        OffsetDateTime now = now();
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = ?, updated_at = ?, last_error = ?,"
                    + " delivered_at = ? WHERE id = ? AND status = 'SENT'")) {
                ps.setString(1, succeeded ? "DELIVERED" : "FAILED");
                ps.setObject(2, now);
                ps.setString(3, succeeded ? null : truncate(detail, 2000));
                ps.setObject(4, succeeded ? now : null);
                ps.setString(5, id);
                if (ps.executeUpdate() == 1) {
                    history(c, id, succeeded ? NotificationStatus.DELIVERED : NotificationStatus.FAILED, detail, now);
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- housekeeping

    /**
     * Time-based outcomes: UNCERTAIN LONs without a delivery webhook after {@code uncertainAfter} are resent or
     * given up (policy); SENT LONs without one after {@code undeliveredAfter} are UNDELIVERED; queued or waiting
     * notifications past their retry window are EXPIRED.
     *
     * @return the ids that became UNDELIVERED (for the fallback route)
     */
    public List<String> resolveByTime() {
        OffsetDateTime now = now();
        List<String> undelivered = new ArrayList<>();
        inTransaction(c -> {
            for (String id : ids(c, "SELECT id FROM notification WHERE status = 'UNCERTAIN' AND updated_at < ? FOR UPDATE SKIP LOCKED",
                    now.minus(settings.uncertainAfter()))) {
                if (settings.uncertainPolicy() == OutboxSettings.UncertainPolicy.RESEND) {
                    transitionFrom(c, id, "UNCERTAIN", NotificationStatus.RETRY_WAIT,
                            "no delivery webhook within " + settings.uncertainAfter() + "; resending (policy RESEND)", now, now);
                } else if (transitionFrom(c, id, "UNCERTAIN", NotificationStatus.UNDELIVERED,
                        "no delivery webhook within " + settings.uncertainAfter() + "; not resent (policy GIVE_UP)", now, null) == 1) {
                    undelivered.add(id);
                }
            }
            for (String id : ids(c, "SELECT id FROM notification WHERE status = 'SENT' AND line_operation LIKE 'pnp-%' AND sent_at < ?"
                    + " FOR UPDATE SKIP LOCKED", now.minus(settings.undeliveredAfter()))) {
                if (transitionFrom(c, id, "SENT", NotificationStatus.UNDELIVERED,
                        "LINE reported no delivery within " + settings.undeliveredAfter(), now, null) == 1) {
                    undelivered.add(id);
                }
            }
            for (String id : ids(c, "SELECT id FROM notification WHERE status IN ('QUEUED','RETRY_WAIT') AND expires_at < ? FOR UPDATE SKIP LOCKED", now)) {
                transitionFrom(c, id, null, NotificationStatus.EXPIRED, "not sent within the retry window of " + settings.retryWindow(), now, null);
            }
        });
        return undelivered;
    }

    private static List<String> ids(Connection c, String sql, OffsetDateTime t) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Dead letters: FAILED, EXPIRED and UNDELIVERED notifications, newest first. */
    public List<Map<String, Object>> deadLetters(int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, type, channel, line_operation, status,"
                + " last_error, attempts, updated_at FROM notification WHERE status IN ('FAILED','EXPIRED','UNDELIVERED') ORDER BY updated_at DESC LIMIT ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getString(1));
                    m.put("type", rs.getString(2));
                    m.put("channel", rs.getString(3));
                    m.put("lineOperation", rs.getString(4));
                    m.put("status", rs.getString(5));
                    m.put("lastError", rs.getString(6));
                    m.put("attemptCount", rs.getInt(7));
                    m.put("updatedAt", instant(rs, "updated_at"));
                    out.add(m);
                }
            }
        } catch (SQLException e) {
            throw new OutboxException("could not list dead letters", e);
        }
        return out;
    }

    /**
     * Sends a dead letter again after its cause was fixed: back to QUEUED with a fresh retry window. Its retry
     * key stays: within LINE's 24 h a request LINE had accepted is answered 409, not sent twice.
     *
     * @return false when the notification is not a dead letter
     */
    public boolean replay(String id) {
        OffsetDateTime now = now();
        boolean[] done = {false};
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'QUEUED', next_attempt_at = ?, expires_at = ?,"
                    + " attempts = 0, batch_id = NULL, updated_at = ? WHERE id = ? AND status IN ('FAILED','EXPIRED','UNDELIVERED')")) {
                ps.setObject(1, now);
                ps.setObject(2, now.plus(settings.retryWindow()));
                ps.setObject(3, now);
                ps.setString(4, id);
                if (ps.executeUpdate() == 1) {
                    history(c, id, NotificationStatus.QUEUED, "replayed by an operator", now);
                    done[0] = true;
                }
            }
        });
        return done[0];
    }

    /** Stops a channel sending until a time (LINE's monthly limit reached); operators see the reason. */
    public void pauseChannel(String channel, OffsetDateTime until, String reason) {
        OffsetDateTime now = now();
        String why = truncate(reason, 2000);
        try {
            inTransaction(c -> {
                if (updatePause(c, channel, until, why, now) == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_pause (channel, paused_until, reason, paused_at) VALUES (?,?,?,?)")) {
                        ps.setString(1, channel);
                        ps.setObject(2, until);
                        ps.setString(3, why);
                        ps.setObject(4, now);
                        ps.executeUpdate();
                    }
                }
            });
        } catch (OutboxException e) {
            // another writer (the other outcome writer, another hub) paused the channel at the same moment: its row
            // is in now, so this pause updates it
            if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                throw e;
            }
            inTransaction(c -> updatePause(c, channel, until, why, now));
        }
        LOG.error("ALERT channel {} paused until {}: {}", channel, until, reason);
    }

    private static int updatePause(Connection c, String channel, OffsetDateTime until, String reason, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE channel_pause SET paused_until = ?, reason = ?, paused_at = ? WHERE channel = ?")) {
            ps.setObject(1, until);
            ps.setString(2, reason);
            ps.setObject(3, now);
            ps.setString(4, channel);
            return ps.executeUpdate();
        }
    }

    /** Channels paused now, with until and reason. */
    public List<Map<String, Object>> pausedChannels() {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT channel, paused_until, reason FROM channel_pause WHERE paused_until > ? ORDER BY channel")) {
            ps.setObject(1, now());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("channel", rs.getString(1));
                    m.put("pausedUntil", instant(rs, "paused_until"));
                    m.put("reason", rs.getString(3));
                    out.add(m);
                }
            }
        } catch (SQLException e) {
            throw new OutboxException("could not read channel pauses", e);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** The notification, its attempts and its status history, as the API shows them. */
    public Optional<Map<String, Object>> view(String id) {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> v = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type, channel, line_operation, status, customer_id, recipient_masked,"
                    + " recipient_country, language, attempts, last_error, created_at, updated_at, sent_at, delivered_at, next_attempt_at,"
                    + " channel_decision, batch_id, recipient_user_id FROM notification WHERE id = ?")) {
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
                    v.put("channelDecision", rs.getString("channel_decision"));
                    Map<String, Object> recipient = new LinkedHashMap<>();
                    recipient.put("customerId", rs.getString("customer_id"));
                    recipient.put("phone", rs.getString("recipient_masked"));
                    recipient.put("country", rs.getString("recipient_country"));
                    recipient.put("language", rs.getString("language"));
                    if (rs.getString("recipient_user_id") != null) {
                        recipient.put("lineUserId", rs.getString("recipient_user_id"));
                    }
                    v.put("recipient", recipient);
                    if (rs.getString("batch_id") != null) {
                        v.put("multicastBatch", rs.getString("batch_id"));
                    }
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

    // ---------------------------------------------------------------------------------------------- helpers

    private int transition(Connection c, String id, NotificationStatus to, String reason, OffsetDateTime now, OffsetDateTime retryAt) throws SQLException {
        return transitionFrom(c, id, "SENDING", to, reason, now, retryAt);
    }

    /** Moves a notification from one status (any, when null) to another, with history; 0 when it was not in that status. */
    private int transitionFrom(Connection c, String id, String from, NotificationStatus to, String reason, OffsetDateTime now,
                               OffsetDateTime retryAt) throws SQLException {
        String sql = "UPDATE notification SET status = ?, last_error = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL"
                + (retryAt != null ? ", next_attempt_at = ?" : "") + " WHERE id = ?" + (from != null ? " AND status = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, to.name());
            ps.setString(i++, truncate(reason, 2000));
            ps.setObject(i++, now);
            if (retryAt != null) {
                ps.setObject(i++, retryAt);
            }
            ps.setString(i++, id);
            if (from != null) {
                ps.setString(i, from);
            }
            int n = ps.executeUpdate();
            if (n == 1) {
                history(c, id, to, reason, now);
            }
            return n;
        }
    }

    private static void history(Connection c, String id, NotificationStatus status, String reason, OffsetDateTime at) throws SQLException {
        historyBatch(c, List.of(id), status, reason, at);
    }

    private static void historyBatch(Connection c, List<String> ids, NotificationStatus status, String reason, OffsetDateTime at) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_status_history (notification_id, status, changed_at, reason) VALUES (?,?,?,?)")) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.setString(2, status.name());
                ps.setObject(3, at);
                ps.setString(4, truncate(reason, 2000));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
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
