package io.linehub.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Gauges read from the hub's database every few seconds ({@link #refresh}, on a timer of the hub's own), never per
 * notification: the outbox's depth by channel and status (the statuses still on their way), the age of each
 * channel's oldest due notification, paused channels and inbox files in progress. Every hub of a cluster reads the
 * same shared tables, so each shows the cluster's figures (aggregate them with {@code max}, not {@code sum}).
 */
public final class OutboxGauges {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxGauges.class);
    /** The statuses counted as the outbox's depth: accepted and not yet at an end. */
    static final List<String> OPEN_STATUSES = List.of("QUEUED", "SCHEDULED", "RETRY_WAIT", "SENDING", "UNCERTAIN");
    /** The statuses a claim takes once due. */
    private static final List<String> DUE_STATUSES = List.of("RETRY_WAIT", "QUEUED", "SCHEDULED");

    private final MeterRegistry registry;
    private final DataSource db;
    private final Clock clock;
    private final Supplier<Collection<String>> channels;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    /** Oldest due notification's age per channel, in milliseconds (0: none due). */
    private final Map<String, AtomicLong> oldestDueMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> paused = new ConcurrentHashMap<>();
    private final AtomicLong filesInProgress = new AtomicLong();
    private volatile Instant lastRefresh;
    private volatile String lastFailure;

    public OutboxGauges(MeterRegistry registry, DataSource db, Clock clock, Supplier<Collection<String>> channels) {
        this.registry = registry;
        this.db = db;
        this.clock = clock;
        this.channels = channels;
        Gauge.builder("hub.inbox.files.in.progress", filesInProgress, AtomicLong::get)
                .description("Inbox files being read (file_intake rows in PROCESSING)").register(registry);
        for (String channel : channels.get()) {
            channelGauges(channel);
        }
    }

    private void channelGauges(String channel) {
        for (String status : OPEN_STATUSES) {
            depth.computeIfAbsent(channel + '\u0000' + status, k -> {
                AtomicLong v = new AtomicLong();
                Gauge.builder("hub.outbox.notifications", v, AtomicLong::get)
                        .description("Notifications in the outbox not yet at an end, by channel and status")
                        .tags("channel", channel, "status", status.toLowerCase(java.util.Locale.ROOT)).register(registry);
                return v;
            });
        }
        oldestDueMillis.computeIfAbsent(channel, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("hub.outbox.oldest.due.age", v, a -> a.get() / 1000.0).baseUnit("seconds")
                    .description("How long the channel's oldest due notification (QUEUED, RETRY_WAIT, SCHEDULED past its time) has waited; 0 when none")
                    .tags("channel", channel).register(registry);
            return v;
        });
        paused.computeIfAbsent(channel, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("hub.channel.paused", v, AtomicLong::get)
                    .description("1 while the channel may not send (LINE's monthly limit reached), else 0").tags("channel", channel).register(registry);
            return v;
        });
    }

    /** Reads the figures once (a few index reads); a failure keeps the last figures and is reported by {@link #lastFailure()}. */
    public void refresh() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (Connection c = db.getConnection()) {
            c.setReadOnly(true);
            Map<String, Long> counts = new HashMap<>();
            Set<String> seen = new HashSet<>(channels.get());
            try (PreparedStatement ps = c.prepareStatement("SELECT channel, status, COUNT(*) FROM notification"
                    + " WHERE status IN ('QUEUED','SCHEDULED','RETRY_WAIT','SENDING','UNCERTAIN') GROUP BY channel, status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1) + '\u0000' + rs.getString(2), rs.getLong(3));
                    seen.add(rs.getString(1));
                }
            }
            seen.forEach(this::channelGauges);
            depth.forEach((key, v) -> v.set(counts.getOrDefault(key, 0L)));
            for (String channel : seen) {
                oldestDueMillis.get(channel).set(oldestDue(c, channel, now));
            }
            Set<String> pausedNow = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT channel FROM channel_pause WHERE paused_until > ?")) {
                ps.setObject(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pausedNow.add(rs.getString(1));
                    }
                }
            }
            paused.forEach((channel, v) -> v.set(pausedNow.contains(channel) ? 1 : 0));
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM file_intake WHERE status = 'PROCESSING'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                filesInProgress.set(rs.getLong(1));
            }
            lastRefresh = clock.instant();
            if (lastFailure != null) {
                LOG.info("metrics: the outbox gauges are read again");
            }
            lastFailure = null;
        } catch (SQLException | RuntimeException e) {
            if (lastFailure == null) {
                LOG.warn("metrics: the outbox gauges could not be read ({}); they keep their last values", e.toString());
            }
            lastFailure = e.toString();
        }
    }

    /** Milliseconds the channel's oldest due notification has waited (0: none): one index read per status. */
    private static long oldestDue(Connection c, String channel, OffsetDateTime now) throws SQLException {
        OffsetDateTime oldest = null;
        for (String status : DUE_STATUSES) {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(next_attempt_at) FROM notification WHERE status = ? AND channel = ?"
                    + " AND next_attempt_at <= ?")) {
                ps.setString(1, status);
                ps.setString(2, channel);
                ps.setObject(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                        if (t != null && (oldest == null || t.isBefore(oldest))) {
                            oldest = t;
                        }
                    }
                }
            }
        }
        return oldest == null ? 0 : Math.max(0, now.toInstant().toEpochMilli() - oldest.toInstant().toEpochMilli());
    }

    /** The age of the oldest due notification over all channels, in milliseconds, as last read. */
    public long oldestDueMillis() {
        return oldestDueMillis.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
    }

    /** When the figures were last read, or null before the first read. */
    public Instant lastRefresh() {
        return lastRefresh;
    }

    /** Why the last read failed, or null. */
    public String lastFailure() {
        return lastFailure;
    }
}
