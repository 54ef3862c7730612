package io.linehub.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A hub's membership of the cluster, renewed every {@code heartbeat} in one PostgreSQL transaction: its row in
 * {@code hub_node} (others take back its claimed notifications once it is older than the node lease) and its share of
 * each rate key's budget in {@code rate_share} ({@link RateShareGate} hands the permits out).
 *
 * <p>Shares, per rate key, with the key's {@code rate_key} row locked: the budget is split evenly among the live
 * hubs that have work for the key; a hub takes more only out of what the others' shares leave, and gives back only
 * what it no longer has out (it lowers its own limit first). A hub's share counts until {@link #QUARANTINE} after its
 * share lease ran out: a hub that stops (killed, stalled, cut off from the database) stopped handing out permits at
 * the end of its lease by its own clock, and its last requests have reached LINE and left their one-second window
 * before anyone else uses that part of the budget. So at every instant the permits out in the cluster add up to at
 * most the budget. Times compared in SQL are the database's; the hub's own deadline is measured on its monotonic
 * clock from before the transaction began, so it ends no later than the database thinks.
 */
public final class ClusterHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterHeartbeat.class);

    /** After a hub's share lease ended, how long its share still counts: its last permits' second at LINE, plus transit. */
    public static final Duration QUARANTINE = Duration.ofSeconds(2);
    /** hub_node rows older than this (and their shares) are deleted. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    /** The hub's own notifications are no longer sent this long before its node lease ends. */
    static final long NODE_GUARD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DataSource db;
    private final String nodeId;
    private final RateShareGate gate;
    private final Duration shareLease;
    private final Duration nodeLease;
    private volatile long nodeLeaseEndNanos;
    private volatile boolean nodeLeased;
    private long lastForget;
    private ScheduledExecutorService scheduler;
    private volatile boolean failing;

    public ClusterHeartbeat(DataSource db, String nodeId, RateShareGate gate, Duration shareLease, Duration nodeLease) {
        if (shareLease.compareTo(Duration.ofMillis(1_000)) < 0 || nodeLease.compareTo(shareLease) < 0) {
            throw new IllegalArgumentException("the share lease must be at least 1 s and the node lease at least the share lease, were "
                    + shareLease.toMillis() + " ms and " + nodeLease.toMillis() + " ms");
        }
        this.db = db;
        this.nodeId = nodeId;
        this.gate = gate;
        this.shareLease = shareLease;
        this.nodeLease = nodeLease;
    }

    /** Joins the cluster (one round now, so a database that cannot be reached stops the start) and renews every {@code every}. */
    public ClusterHeartbeat start(Duration every) throws SQLException {
        round();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::roundSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("cluster: node {} (heartbeat every {} ms, node lease {} s, rate share lease {} ms)", nodeId, every.toMillis(),
                nodeLease.toSeconds(), shareLease.toMillis());
        return this;
    }

    /** Whether this hub still holds its node lease (with a guard): its claimed notifications may be sent. */
    public boolean nodeLeaseHeld() {
        return nodeLeased && System.nanoTime() - (nodeLeaseEndNanos - NODE_GUARD_NANOS) < 0;
    }

    public Duration nodeLease() {
        return nodeLease;
    }

    private void roundSafely() {
        try {
            round();
            if (failing) {
                failing = false;
                LOG.info("cluster: heartbeat renewed again");
            }
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("cluster: heartbeat not renewed ({}); sending stops when the lease ends", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    /** One heartbeat: this hub's row and its shares, in one transaction. */
    void round() throws SQLException {
        long start = gate.nanoTime();
        Map<RateShareGate.Share, Integer> limits = new HashMap<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_node (node_id, started_at, heartbeat_at) VALUES (?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                        + " ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = CURRENT_TIMESTAMP")) {
                    ps.setString(1, nodeId);
                    ps.executeUpdate();
                }
                List<RateShareGate.Share> keys = new ArrayList<>();
                gate.shares().forEach(keys::add);
                keys.sort(Comparator.comparing(s -> s.key)); // locked in one order: two hubs never wait for each other in a circle
                for (RateShareGate.Share share : keys) {
                    limits.put(share, renew(c, share, start));
                }
                forgetOldNodes(c, start);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        gate.renewed(limits, start + shareLease.toNanos());
        nodeLeaseEndNanos = start + nodeLease.toNanos();
        nodeLeased = true;
    }

    /** A share's row: returns the limit this hub may use until the end of this round's lease. */
    private int renew(Connection c, RateShareGate.Share share, long now) throws SQLException {
        boolean wanted = share.wanted(now);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_key (rate_key) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, share.key);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT rate_key FROM rate_key WHERE rate_key = ? FOR UPDATE")) {
            ps.setString(1, share.key);
            ps.executeQuery().close();
        }
        List<Peer> peers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.node_id, s.granted, s.wanting,"
                + " n.heartbeat_at > CURRENT_TIMESTAMP - ? * INTERVAL '1 millisecond',"
                + " n.heartbeat_at > CURRENT_TIMESTAMP - ? * INTERVAL '1 millisecond'"
                + " FROM rate_share s JOIN hub_node n ON n.node_id = s.node_id WHERE s.rate_key = ? AND s.node_id <> ?")) {
            ps.setLong(1, shareLease.toMillis());
            ps.setLong(2, shareLease.plus(QUARANTINE).toMillis());
            ps.setString(3, share.key);
            ps.setString(4, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    peers.add(new Peer(rs.getString(1), rs.getInt(2), rs.getBoolean(3) && rs.getBoolean(4), rs.getBoolean(5)));
                }
            }
        }
        Allocation a = allocate(share.budget, nodeId, wanted, peers);
        // what is given back is first no longer handed out here; what is still out stays granted until it comes back
        gate.lower(share, a.limit());
        int granted = Math.min(a.available(), Math.max(a.limit(), share.held()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_share (rate_key, node_id, granted, wanting) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (rate_key, node_id) DO UPDATE SET granted = EXCLUDED.granted, wanting = EXCLUDED.wanting")) {
            ps.setString(1, share.key);
            ps.setString(2, nodeId);
            ps.setInt(3, granted);
            ps.setBoolean(4, wanted);
            ps.executeUpdate();
        }
        return a.limit();
    }

    /** Another hub's share of a key: its grant, whether it is live and has work for it, whether its grant still counts. */
    record Peer(String nodeId, int granted, boolean liveAndWanting, boolean counted) {
    }

    /** What this hub may use of a key's budget ({@code limit}) and the most it may hold granted ({@code available}). */
    record Allocation(int limit, int available) {
    }

    /**
     * The budget split evenly among the live hubs with work for the key (the remainder to the first by node id), this
     * hub's part capped by what the other hubs' counted grants leave.
     */
    static Allocation allocate(int budget, String me, boolean wanted, List<Peer> peers) {
        int othersGranted = peers.stream().filter(Peer::counted).mapToInt(Peer::granted).sum();
        int available = Math.max(0, budget - othersGranted);
        if (!wanted) {
            return new Allocation(0, available);
        }
        List<String> wanting = new ArrayList<>(peers.stream().filter(Peer::liveAndWanting).map(Peer::nodeId).toList());
        wanting.add(me);
        wanting.sort(null);
        int n = wanting.size();
        int fair = budget / n + (wanting.indexOf(me) < budget % n ? 1 : 0);
        return new Allocation(Math.min(fair, available), available);
    }

    /** Once a minute: nodes not heard of for an hour (their shares go with them). */
    private void forgetOldNodes(Connection c, long now) throws SQLException {
        if (lastForget != 0 && now - lastForget < TimeUnit.MINUTES.toNanos(1)) {
            return;
        }
        lastForget = now;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM hub_node WHERE heartbeat_at < CURRENT_TIMESTAMP - ? * INTERVAL '1 millisecond'")) {
            ps.setLong(1, FORGET_AFTER.toMillis());
            ps.executeUpdate();
        }
    }

    /** Leaves the cluster: stops renewing (others take the shares over after the lease and quarantine). */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
