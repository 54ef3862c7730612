package io.linehub.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.linehub.outbox.OutboxDatabase.history;
import static io.linehub.outbox.OutboxDatabase.historyBatch;
import static io.linehub.outbox.OutboxDatabase.truncate;

/**
 * The outbox's way in: new notifications stored as QUEUED (or SCHEDULED, when their {@link SendTiming} says
 * later), each with its first history row and the end of its retry window (which starts when it may first be sent), idempotent by the caller's key (the same request again gets the notification stored first; a
 * different request under a used key is a conflict).
 */
public class NotificationQueue {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationQueue.class);

    private final OutboxDatabase db;
    private final Duration retryWindow;
    private final int rowsPerTransaction;
    /** Raised after each commit of new rows: wakes the dispatcher (and, on PostgreSQL, other hubs' through NOTIFY). */
    private volatile DispatchSignal queued;
    /** Whether the database is PostgreSQL (read from the first connection's metadata); null until then. */
    private volatile Boolean postgres;

    /** {@link #enqueueAll} commits every {@link #ROWS_PER_TRANSACTION} new rows (what embedded H2 needs). */
    public NotificationQueue(DataSource dataSource, Clock clock, OutboxSettings settings) {
        this(dataSource, clock, settings, ROWS_PER_TRANSACTION);
    }

    /**
     * @param rowsPerTransaction new rows per transaction of {@link #enqueueAll}: {@link #ROWS_PER_TRANSACTION} on
     *                           embedded H2, {@link Integer#MAX_VALUE} (one transaction per call) where every commit
     *                           is durable (PostgreSQL); see {@link #rowsPerTransactionFor}
     */
    public NotificationQueue(DataSource dataSource, Clock clock, OutboxSettings settings, int rowsPerTransaction) {
        if (rowsPerTransaction < 1) {
            throw new IllegalArgumentException("rowsPerTransaction must be at least 1");
        }
        this.db = new OutboxDatabase(dataSource, clock);
        this.retryWindow = settings.retryWindow();
        this.rowsPerTransaction = rowsPerTransaction;
    }

    /**
     * Rows per transaction of {@link #enqueueAll} for a hub database: one transaction per call (an inbox
     * checkpoint) on PostgreSQL, which keeps every committed transaction whole through a crash; 20 on embedded H2,
     * which does not (docs/decisions/0009-twenty-rows-per-commit.md).
     */
    public static int rowsPerTransactionFor(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:") ? Integer.MAX_VALUE : ROWS_PER_TRANSACTION;
    }

    private static final String INSERT_QUEUED = "INSERT INTO notification (id, type, channel, line_operation, status, customer_id,"
            + " recipient_hash, recipient_masked, recipient_country, language, data, line_request, delivery_tag, idempotency_key,"
            + " request_digest, attempts, next_attempt_at, created_at, updated_at, recipient_user_id, retry_key, content_digest,"
            + " channel_decision, expires_at, template_version, send_at, scheduled_for, requested_expires_at, via)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    /** Idempotency keys looked up per query by {@link #enqueueAll}. */
    static final int KEYS_PER_LOOKUP = 500;

    /**
     * Wakes {@code signal} after every commit of new notifications, and on PostgreSQL notifies the channel
     * {@link OutboxListener#CHANNEL} in the same transaction (other hubs' dispatchers wake too).
     */
    public NotificationQueue signalling(DispatchSignal signal) {
        this.queued = signal;
        return this;
    }

    /** Within the transaction storing new rows: tells other hubs on PostgreSQL (delivered on commit). */
    private void notifyOthers(Connection c) throws SQLException {
        if (queued != null && postgres(c)) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("NOTIFY " + OutboxListener.CHANNEL);
            }
        }
    }

    /** After a commit of new rows: wakes this hub's dispatcher. */
    private void wake() {
        DispatchSignal s = queued;
        if (s != null) {
            s.raise();
        }
    }

    /** Stores a notification as QUEUED. With an idempotency key already used: the earlier one, or a conflict. */
    public EnqueueResult enqueue(NewNotification n) {
        try (Connection c = db.connection()) {
            String nul = postgres(c) ? OutboxCopy.columnWithNul(Arrays.asList(queuedValues("", n, db.now()))) : null;
            if (nul != null) {
                throw new OutboxException("could not store the notification: " + OutboxCopy.nul(nul).getMessage(), null);
            }
            if (n.idempotencyKey() != null) {
                Optional<EnqueueResult> earlier = findByIdempotencyKey(c, n);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            String id = NotificationIds.newId();
            OffsetDateTime now = db.now();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT_QUEUED)) {
                bindQueued(ps, id, n, now);
                ps.executeUpdate();
                history(c, id, statusOf(n, now), historyReason(n, now), now);
                notifyOthers(c);
                c.commit();
                wake();
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
            return new EnqueueResult(id, statusOf(n, now), true);
        } catch (SQLException e) {
            throw new OutboxException("could not store the notification", e);
        }
    }

    /**
     * Stores many notifications (the inbox: a file's rows between two checkpoints), committed every
     * {@code rowsPerTransaction} new rows ({@link #ROWS_PER_TRANSACTION} on H2, all of them at once on PostgreSQL).
     * On PostgreSQL by COPY into a staging table and one {@code INSERT … ON CONFLICT (idempotency_key) DO NOTHING}
     * ({@link OutboxCopy}); on H2 with one look-up of their idempotency keys and JDBC batches.
     * Each gets the outcome {@link #enqueue} would give it had they been stored one after the other in the list's
     * order: a key used before, in the database or earlier in the list, gives that notification, or a conflict when
     * the request differs. When a transaction fails (on H2: another writer stored one of the keys after the look-up;
     * on PostgreSQL, where such a key is skipped and settled instead, only a real error such as a NUL character) it is
     * rolled back and the rest of the list, from its first row on, is stored one by one with {@link #enqueue}.
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

    /**
     * Adds to {@code outcomes} the outcome of each notification once it is settled (its transaction committed). On H2
     * the keys are looked up first; on PostgreSQL the insert skips keys stored before ({@code ON CONFLICT}), and only
     * the skipped ones are looked up.
     */
    private void enqueueTogether(List<NewNotification> batch, List<EnqueueOutcome> outcomes) throws SQLException {
        try (Connection c = db.connection()) {
            boolean pg = postgres(c);
            Map<String, Earlier> byKey = pg ? new HashMap<>() : findByIdempotencyKeys(c, batch);
            List<EnqueueOutcome> planned = new ArrayList<>(batch.size());
            List<Integer> fresh = new ArrayList<>(); // positions in the batch of the new notifications
            OffsetDateTime planning = db.now();
            for (NewNotification n : batch) {
                Earlier earlier = n.idempotencyKey() == null ? null : byKey.get(n.idempotencyKey());
                if (earlier != null) {
                    planned.add(earlier.outcomeFor(n));
                    continue;
                }
                String id = NotificationIds.newId();
                NotificationStatus status = statusOf(n, planning);
                if (n.idempotencyKey() != null) {
                    byKey.put(n.idempotencyKey(), new Earlier(id, status, n.requestDigest())); // for later rows with this key
                }
                fresh.add(planned.size());
                planned.add(EnqueueOutcome.stored(new EnqueueResult(id, status, true)));
            }
            c.setAutoCommit(false);
            for (int from = 0; from < fresh.size(); from += rowsPerTransaction) {
                List<Integer> chunk = fresh.subList(from, (int) Math.min(fresh.size(), (long) from + rowsPerTransaction));
                outcomes.addAll(planned.subList(outcomes.size(), chunk.get(0))); // settled by the look-up or earlier transactions
                List<String> ids = chunk.stream().map(i -> planned.get(i).result().id()).toList();
                List<NewNotification> rows = chunk.stream().map(batch::get).toList();
                if (pg) {
                    Map<String, Earlier> storedBefore = copyQueued(c, ids, rows);
                    // a key stored by another writer since: this row and the later ones with its key get that notification
                    for (int i = chunk.get(0); i < batch.size() && !storedBefore.isEmpty(); i++) {
                        Earlier earlier = batch.get(i).idempotencyKey() == null ? null : storedBefore.get(batch.get(i).idempotencyKey());
                        if (earlier != null) {
                            planned.set(i, earlier.outcomeFor(batch.get(i)));
                        }
                    }
                } else {
                    insertQueued(c, ids, rows);
                }
                outcomes.addAll(planned.subList(outcomes.size(), chunk.get(chunk.size() - 1) + 1));
            }
            outcomes.addAll(planned.subList(outcomes.size(), planned.size()));
        }
    }

    /**
     * PostgreSQL: new notifications and their history by COPY ({@link OutboxCopy}), in one transaction.
     *
     * @return by key, the notifications stored before under the keys of the rows that were skipped
     */
    private Map<String, Earlier> copyQueued(Connection c, List<String> ids, List<NewNotification> notifications) throws SQLException {
        OffsetDateTime now = db.now();
        try {
            List<OutboxCopy.Row> rows = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                NewNotification n = notifications.get(i);
                rows.add(new OutboxCopy.Row(queuedValues(ids.get(i), n, now), truncate(historyReason(n, now), 2000)));
            }
            OutboxCopy.Copied copied = OutboxCopy.insert(c, rows, copyStraightIn);
            Set<String> inserted = copied.inserted();
            // straight in again while every key was new; after a key stored before (a file read again after a
            // restart), the staging way until a checkpoint's keys are all new again
            copyStraightIn = inserted.size() == ids.size();
            Map<String, Earlier> storedBefore = Map.of();
            if (inserted.size() < ids.size()) {
                List<NewNotification> skipped = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    if (!inserted.contains(ids.get(i))) {
                        skipped.add(notifications.get(i));
                    }
                }
                storedBefore = findByIdempotencyKeys(c, skipped);
                if (storedBefore.size() != skipped.size()) {
                    throw new SQLException("rows skipped by the insert without a stored notification under their key");
                }
            }
            if (!inserted.isEmpty()) {
                notifyOthers(c);
            }
            c.commit();
            if (!inserted.isEmpty()) {
                wake();
            }
            return storedBefore;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /**
     * Whether the next {@link #copyQueued} tries {@code COPY} straight into the outbox (decision 0033): yes until a
     * checkpoint met a key stored before, then again after one whose keys were all new. A guess only: a wrong one
     * costs a rolled-back COPY, never a duplicate.
     */
    private volatile boolean copyStraightIn = true;

    /** Whether the next PostgreSQL checkpoint tries {@code COPY} straight in (for tests). */
    boolean copiesStraightIn() {
        return copyStraightIn;
    }

    /** New notifications and their QUEUED history in one transaction, with JDBC batches. */
    private void insertQueued(Connection c, List<String> ids, List<NewNotification> notifications) throws SQLException {
        OffsetDateTime now = db.now();
        try {
            Map<Map.Entry<NotificationStatus, String>, List<String>> byDecision = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(INSERT_QUEUED)) {
                for (int i = 0; i < ids.size(); i++) {
                    NewNotification n = notifications.get(i);
                    bindQueued(ps, ids.get(i), n, now);
                    ps.addBatch();
                    byDecision.computeIfAbsent(new java.util.AbstractMap.SimpleImmutableEntry<>(statusOf(n, now), historyReason(n, now)), k -> new ArrayList<>()).add(ids.get(i)); // a null reason too
                }
                ps.executeBatch();
            }
            // the first history row's reason is the channel decision (and why it waits): a handful of distinct ones
            for (Map.Entry<Map.Entry<NotificationStatus, String>, List<String>> d : byDecision.entrySet()) {
                historyBatch(c, d.getValue(), d.getKey().getKey(), d.getKey().getValue(), now);
            }
            notifyOthers(c);
            c.commit();
            wake();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** The QUEUED row of a new notification, as {@link #INSERT_QUEUED} takes it. */
    private void bindQueued(PreparedStatement ps, String id, NewNotification n, OffsetDateTime now) throws SQLException {
        Object[] values = queuedValues(id, n, now);
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof String v) {
                ps.setString(i + 1, v);
            } else {
                ps.setObject(i + 1, values[i]); // a time, or null of a type the database infers
            }
        }
    }

    /** A new notification's column values, in the order of {@link #INSERT_QUEUED}'s parameters and {@link OutboxCopy#COLUMNS}. */
    Object[] queuedValues(String id, NewNotification n, OffsetDateTime now) {
        OffsetDateTime start = firstAttemptAt(n, now);
        SendTiming t = n.timing();
        return new Object[]{id, n.type(), n.channel(), n.lineOperation(), statusOf(n, now).name(), n.customerId(), n.recipientHash(),
                n.recipientMasked(), n.recipientCountry(), n.language(), n.dataJson(), n.lineRequestJson(),
                n.lineOperation().startsWith("pnp-") ? id : null, n.idempotencyKey(), n.requestDigest(), start, now, now,
                n.recipientUserId(), n.retryKey(), n.contentDigest(), truncate(n.channelDecision(), 300), expiresAt(n, start),
                n.templateVersion(), utc(t.sendAt()), t.waitsAt(now.toInstant()) ? start : null, utc(t.expiresAt()), n.via()};
    }

    /** SCHEDULED when it may not be sent yet (a sendAt or quiet hours ahead), else QUEUED. */
    static NotificationStatus statusOf(NewNotification n, OffsetDateTime now) {
        return n.timing().waitsAt(now.toInstant()) ? NotificationStatus.SCHEDULED : NotificationStatus.QUEUED;
    }

    /** The first history row's reason: the channel decision, after why it waits when it does. */
    static String historyReason(NewNotification n, OffsetDateTime now) {
        SendTiming t = n.timing();
        if (!t.waitsAt(now.toInstant()) || t.reason() == null) {
            return n.channelDecision();
        }
        return n.channelDecision() == null ? t.reason() : t.reason() + "; " + n.channelDecision();
    }

    /** When it may first be sent (next_attempt_at): now, or its scheduled time. */
    static OffsetDateTime firstAttemptAt(NewNotification n, OffsetDateTime now) {
        return n.timing().waitsAt(now.toInstant()) ? utc(n.timing().notBefore()) : now;
    }

    /** The end of the retry window, which starts when it may first be sent, capped by the request's expiresAt. */
    private OffsetDateTime expiresAt(NewNotification n, OffsetDateTime start) {
        OffsetDateTime window = start.plus(retryWindow);
        OffsetDateTime requested = utc(n.timing().expiresAt());
        return requested != null && requested.isBefore(window) ? requested : window;
    }

    private static OffsetDateTime utc(java.time.Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC);
    }

    /** A notification stored earlier under an idempotency key. */
    private record Earlier(String id, NotificationStatus status, String requestDigest) {

        /** {@link #resultFor} as an outcome of {@link #enqueueAll}. */
        EnqueueOutcome outcomeFor(NewNotification n) {
            try {
                return EnqueueOutcome.stored(resultFor(n));
            } catch (IdempotencyConflictException e) {
                return EnqueueOutcome.refused(e);
            }
        }

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

    private boolean postgres(Connection c) throws SQLException {
        Boolean pg = postgres;
        if (pg == null) {
            pg = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
            postgres = pg;
        }
        return pg;
    }

    /**
     * The notifications stored earlier under the batch's idempotency keys, by key. On PostgreSQL one statement with
     * one array parameter ({@code = ANY(?)}): pgjdbc prepares a statement on the server after its fifth use, and
     * PostgreSQL then plans it once for any values (a generic plan). For {@code IN (?, …, ?)} with 500 parameters
     * that plan was a sequential scan of the whole table (its estimate for 500 index probes is high), kept until the
     * table's statistics changed, so each look-up read every row stored before it and intake slowed down as the
     * table grew (docs/performance.md). An array parameter is estimated as a few values: the generic plan is an index scan.
     */
    private Map<String, Earlier> findByIdempotencyKeys(Connection c, List<NewNotification> batch) throws SQLException {
        List<String> keys = batch.stream().map(NewNotification::idempotencyKey).filter(Objects::nonNull).distinct().toList();
        Map<String, Earlier> found = new HashMap<>();
        boolean pg = postgres(c);
        for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP));
            try (PreparedStatement ps = c.prepareStatement("SELECT idempotency_key, id, status, request_digest FROM notification WHERE idempotency_key"
                    + (pg ? " = ANY(?)" : " IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")"))) {
                if (pg) {
                    ps.setArray(1, c.createArrayOf("varchar", chunk.toArray()));
                } else {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
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
}
