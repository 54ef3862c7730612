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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static io.linehub.outbox.OutboxDatabase.historyBatch;
import static io.linehub.outbox.OutboxDatabase.transition;

/**
 * Claims take due rows with {@code FOR UPDATE SKIP LOCKED} and put a lease on them, so several dispatchers (or hub
 * nodes) never take the same row and a stopped claimer's rows come back. Identical pushes are packed into multicast
 * batches inside the claim transaction ({@link MulticastPacking}).
 */
public class Claims {

    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    static final Set<String> HOURLY_OPERATIONS = Set.of("broadcast", "narrowcast");
    /** The statuses a claim takes once their next_attempt_at has come, in this order (one index range each). */
    static final List<String> CLAIMED_STATUSES = List.of("RETRY_WAIT", "QUEUED", "SCHEDULED");

    private final OutboxDatabase db;
    private final String nodeId;
    private final OutboxSettings settings;
    /** Lease recovery and the hourly operations' budget take a few queries each: done once a second, not every claim. */
    static final long PERIODIC_CLAIM_WORK_NANOS = 1_000_000_000L;
    private volatile long lastRecovery;
    /** In a cluster (PostgreSQL): a node whose heartbeat is older than this is dead, its rows are taken back at once. */
    private volatile Duration nodeLease;
    private volatile long lastHourly;
    /** The channels a claim shares its rows among (sorted); none or one: the oldest due rows, whatever their channel. */
    private volatile List<String> channels = List.of();
    private final AtomicInteger turn = new AtomicInteger();

    public Claims(DataSource dataSource, Clock clock, String nodeId, OutboxSettings settings) {
        this.db = new OutboxDatabase(dataSource, clock);
        this.nodeId = nodeId;
        this.settings = settings;
    }

    /**
     * The hub's channels: a claim shares its rows among those with due rows ({@link #claimDue(int, Map)}) instead of
     * taking the oldest whatever their channel.
     */
    public Claims withChannels(Collection<String> names) {
        this.channels = List.copyOf(new TreeSet<>(names));
        return this;
    }

    /**
     * In a cluster: also takes back the rows of hubs whose heartbeat ({@code hub_node}, PostgreSQL) is older than
     * {@code nodeLease}, without waiting for their claims' own lease.
     */
    public Claims withNodeLeases(Duration nodeLease) {
        this.nodeLease = nodeLease;
        return this;
    }

    /**
     * Claims up to {@code max} due notifications for this node and marks them SENDING with a lease. Skips paused
     * channels; takes broadcasts and narrowcasts only within the channel's hourly budget; packs identical pushes
     * (same channel and content) into multicast batches of up to 500. First (at most once a second) takes back the
     * rows of stopped dispatchers.
     */
    public List<OutboxEntry> claimDue(int max) {
        return claimDue(max, Map.of());
    }

    /**
     * As {@link #claimDue(int)}, but takes at most {@code room} rows of the channels it names (0: none; they hold
     * about as much in memory as they can send soon) and, with several channels, shares {@code max} among them
     * ({@link #withChannels}).
     */
    public List<OutboxEntry> claimDue(int max, Map<String, Integer> room) {
        long tick = System.nanoTime();
        if (due(lastRecovery, tick)) {
            lastRecovery = tick;
            recoverExpiredLeases();
        }
        boolean hourly = due(lastHourly, tick);
        OffsetDateTime now = db.now();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                readDueRowsInIndexOrder(c, true);
                List<ClaimedRow> rows = new ArrayList<>();
                // one status at a time (and with several channels one channel at a time), so each is a range of the
                // (status, next_attempt_at) index, or of (status, channel, next_attempt_at), read in order, and the
                // scan stops at max rows, however long the queue
                // SCHEDULED rows (sendAt, quiet hours) whose time has come are taken like QUEUED ones: no status change
                // first, so thousands due at one instant cost nothing more than as many queued ones
                List<String> fairOrder = fairOrder();
                boolean roomEnough = room.values().stream().allMatch(r -> r >= max);
                for (String status : CLAIMED_STATUSES) {
                    if (rows.size() >= max) {
                        break;
                    }
                    if (fairOrder.size() <= 1 && roomEnough) {
                        claimStatus(c, status, null, now, max - rows.size(), rows);
                    } else {
                        claimStatusFairly(c, status, fairOrder, room, now, max - rows.size(), rows);
                    }
                }
                if (hourly) {
                    lastHourly = tick;
                    claimHourly(c, now, rows);
                }
                readDueRowsInIndexOrder(c, false);
                List<OutboxEntry> entries = MulticastPacking.toEntries(c, rows, now, !settings.packingWindow().isZero());
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

    /**
     * PostgreSQL: while {@code on}, this transaction's plans avoid sorting (enable_sort off), so a claim reads the due
     * rows through the (status[, channel], next_attempt_at) index in order and stops at its limit. Left to its
     * statistics, PostgreSQL plans the claim by them: after a burst of intake, before autovacuum analysed the table
     * again, it expected a handful of due rows and chose to fetch every due row and sort them all (an external sort
     * on disk: FOR UPDATE keeps the limit out of the sort), 75-140 ms per claim of 500 rows with 70,000 queued and
     * growing with the queue, where the index read takes a few (docs/performance.md). Off again before the claim's
     * other statements. H2 plans these by the index anyway.
     */
    static void readDueRowsInIndexOrder(Connection c, boolean on) throws SQLException {
        if (OutboxDatabase.isPostgres(c)) {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute(on ? "SET LOCAL enable_sort = off" : "SET LOCAL enable_sort = on");
            }
        }
    }

    /** The due rows of one status: all channels ({@code channel} null) or one. */
    private void claimStatus(Connection c, String status, String channel, OffsetDateTime now, int limit,
                             List<ClaimedRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(claimSql(status, channel != null))) {
            int i = 1;
            ps.setObject(i++, now);
            ps.setObject(i++, now.minus(settings.packingWindow()));
            ps.setObject(i++, now);
            ps.setObject(i++, now);
            if (channel != null) {
                ps.setString(i++, channel);
            }
            ps.setInt(i, limit);
            readRows(ps, rows);
        }
    }

    /**
     * A claim of one status's due rows (parameters: now, now less the packing window, now, now, [the channel], limit).
     */
    static String claimSql(String status, boolean oneChannel) {
        // the status is written into the statement (one of three constants): so PostgreSQL's plan for it, generic or
        // not, can use the partial index by channel (a parameter would not prove the index's predicate)
        requireClaimedStatus(status);
        return ROW_SELECT
                + " WHERE status = '" + status + "' AND next_attempt_at <= ? AND line_operation NOT IN ('broadcast','narrowcast')"
                + " AND (line_operation <> 'push' OR batch_id IS NOT NULL OR created_at <= ?)"
                + " AND channel NOT IN (SELECT channel FROM channel_pause WHERE paused_until > ?)"
                + " AND (expires_at IS NULL OR expires_at > ?)" // never sent after its expiresAt / retry window
                + (oneChannel ? " AND channel = ?" : "")
                + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED";
    }

    /**
     * Several channels: each channel with room gets an equal share of {@code limit}, no more than its room (a channel
     * with fewer due rows leaves its share to the next claim, which follows at once), so one channel's backlog never
     * holds up the others' notifications; the first channel served turns with every claim. Rows of channels the hub
     * does not know (a channel taken out of the channels file) come last, with what is left.
     */
    private void claimStatusFairly(Connection c, String status, List<String> order, Map<String, Integer> room, OffsetDateTime now,
                                   int limit, List<ClaimedRow> rows) throws SQLException {
        List<String> open = order.stream().filter(ch -> room.getOrDefault(ch, Integer.MAX_VALUE) > 0).toList();
        int left = limit;
        if (!open.isEmpty()) {
            int share = (limit + open.size() - 1) / open.size();
            for (String channel : open) {
                if (left <= 0) {
                    return;
                }
                int taken = (int) rows.stream().filter(r -> r.channel().equals(channel)).count(); // by earlier statuses
                int want = Math.min(Math.min(share, left), room.getOrDefault(channel, Integer.MAX_VALUE) - taken);
                if (want > 0) {
                    int before = rows.size();
                    claimStatus(c, status, channel, now, want, rows);
                    left -= rows.size() - before;
                }
            }
        }
        if (left > 0) {
            // channels the hub does not know, unless they have no room either: found a channel at a time in the
            // (status, channel, next_attempt_at) index, then claimed as any channel. One statement for "every row but
            // the known channels'" would read the whole queue of the known ones to find none, at every claim.
            for (String channel : channelsWithRows(c, status)) {
                if (left <= 0) {
                    return;
                }
                if (order.contains(channel) || room.getOrDefault(channel, Integer.MAX_VALUE) <= 0) {
                    continue;
                }
                int before = rows.size();
                claimStatus(c, status, channel, now, left, rows);
                left -= rows.size() - before;
            }
        }
    }

    /** A status is written into statements only if it is one of the claimed ones (constants, never input). */
    private static void requireClaimedStatus(String status) {
        if (!CLAIMED_STATUSES.contains(status)) {
            throw new IllegalArgumentException("not a claimed status: " + status);
        }
    }

    /** At most this many channels are looked at for rows of channels the hub does not know, per claim and status. */
    static final int MAX_CHANNELS_SCANNED = 1_000;

    /**
     * The channels that have rows of a status, due or not: one index seek per channel in the (status, channel,
     * next_attempt_at) index (a skip scan), however many rows each has.
     */
    static List<String> channelsWithRows(Connection c, String status) throws SQLException {
        requireClaimedStatus(status);
        List<String> found = new ArrayList<>();
        try (PreparedStatement first = c.prepareStatement("SELECT channel FROM notification WHERE status = '" + status + "'"
                + " ORDER BY channel LIMIT 1");
             PreparedStatement next = c.prepareStatement("SELECT channel FROM notification WHERE status = '" + status + "'"
                + " AND channel > ? ORDER BY channel LIMIT 1")) {
            String channel = firstChannel(first);
            while (channel != null && found.size() < MAX_CHANNELS_SCANNED) {
                found.add(channel);
                next.setString(1, channel);
                channel = firstChannel(next);
            }
        }
        return found;
    }

    private static String firstChannel(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The known channels, starting with the next one in turn. */
    private List<String> fairOrder() {
        List<String> known = channels;
        if (known.size() <= 1) {
            return known;
        }
        int first = Math.floorMod(turn.getAndIncrement(), known.size());
        List<String> order = new ArrayList<>(known.subList(first, known.size()));
        order.addAll(known.subList(0, first));
        return order;
    }

    /** Whether a periodic part of the claim (lease recovery, the hourly operations) is due again. */
    private static boolean due(long last, long tick) {
        return last == 0 || tick - last >= PERIODIC_CLAIM_WORK_NANOS;
    }

    /** The columns {@link #readRows} reads, in its order: every claim query starts with it. */
    private static final String ROW_SELECT = "SELECT id, channel, line_operation, line_request, delivery_tag, attempts,"
            + " retry_key, content_digest, recipient_user_id, batch_id, type, COALESCE(scheduled_for, created_at) FROM notification";

    private static void readRows(PreparedStatement ps, List<ClaimedRow> rows) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new ClaimedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                        rs.getObject(12, OffsetDateTime.class).toInstant()));
            }
        }
    }

    /** The statuses of a due row, as the partial index notification_hourly_due (PostgreSQL V35) names them. */
    private static final String HOURLY_DUE = "status IN ('QUEUED','RETRY_WAIT','SCHEDULED')";

    /**
     * The channels with due rows of one hourly operation (parameter: now). The operation is written into the
     * statement (one of two constants), so PostgreSQL's plan, generic or not, can use the partial index of due
     * broadcasts and narrowcasts instead of reading every due row.
     */
    static String hourlyChannelsSql(String op) {
        if (!HOURLY_OPERATIONS.contains(op)) {
            throw new IllegalArgumentException("not an hourly operation: " + op);
        }
        return "SELECT DISTINCT channel FROM notification WHERE " + HOURLY_DUE + " AND line_operation = '" + op + "'"
                + " AND next_attempt_at <= ?";
    }

    /** Broadcasts and narrowcasts: at most the hourly budget per channel and operation, counted from the attempts made. */
    private void claimHourly(Connection c, OffsetDateTime now, List<ClaimedRow> rows) throws SQLException {
        for (String op : HOURLY_OPERATIONS) {
            List<String> channels = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(hourlyChannelsSql(op))) {
                ps.setObject(1, now);
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
                try (PreparedStatement ps = c.prepareStatement(ROW_SELECT + " WHERE " + HOURLY_DUE + " AND line_operation = '" + op + "'"
                        + " AND channel = ? AND next_attempt_at <= ?"
                        + " AND channel NOT IN (SELECT channel FROM channel_pause WHERE paused_until > ?)"
                        + " AND (expires_at IS NULL OR expires_at > ?)"
                        + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, channel);
                    ps.setObject(2, now);
                    ps.setObject(3, now);
                    ps.setObject(4, now);
                    ps.setInt(5, room);
                    readRows(ps, rows);
                }
            }
        }
    }


    private void markSending(Connection c, List<ClaimedRow> rows, OffsetDateTime now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        // one statement for the whole claim (an array of ids), not one per row
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'SENDING', attempts = attempts + 1,"
                + " lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ANY(?)")) {
            ps.setString(1, nodeId);
            ps.setObject(2, now.plus(settings.lease()));
            ps.setObject(3, now);
            ps.setArray(4, c.createArrayOf("VARCHAR", rows.stream().map(ClaimedRow::id).toArray()));
            ps.executeUpdate();
        }
        historyBatch(c, rows.stream().map(ClaimedRow::id).toList(), NotificationStatus.SENDING, null, now);
    }

    /**
     * Rows left SENDING by a dispatcher that stopped (crash, kill) before recording LINE's answer. Operations
     * with a retry key go back to RETRY_WAIT: re-sending them with the same key is safe (LINE answers 409 if
     * it had accepted them). LINE notification messages have no retry key and may already have reached LINE:
     * they become UNCERTAIN and are not re-sent blindly. In a cluster, so are the rows of a hub whose heartbeat
     * stopped (compared on the database's clock).
     */
    public int recoverExpiredLeases() {
        OffsetDateTime now = db.now();
        int n = 0;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            List<String[]> expired = new ArrayList<>();
            Duration nodes = nodeLease;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, line_operation FROM notification WHERE status = 'SENDING' AND (lease_until < ?"
                    + (nodes == null ? ")" : " OR lease_owner IN (SELECT node_id FROM hub_node WHERE heartbeat_at < CURRENT_TIMESTAMP - ? * INTERVAL '1 millisecond'))")
                    + " FOR UPDATE SKIP LOCKED")) {
                ps.setObject(1, now);
                if (nodes != null) {
                    ps.setLong(2, nodes.toMillis());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        expired.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
            }
            for (String[] e : expired) {
                if (e[1].startsWith("pnp-")) {
                    n += transition(c, e[0], NotificationStatus.UNCERTAIN, "the hub stopped while sending (its lease or heartbeat ran out); LINE may have received it", now, null);
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
}
