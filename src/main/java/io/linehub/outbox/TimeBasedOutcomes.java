package io.linehub.outbox;

import io.linehub.observe.DeliveryMetrics;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.linehub.outbox.OutboxDatabase.transitionFrom;

/**
 * Outcomes that come from time passing, not from LINE's answers: the housekeeping route's step. LINE notification
 * messages left UNCERTAIN or SENT without a delivery webhook, and notifications (queued, waiting to retry, or scheduled)
 * never sent within their retry window or before their {@code expiresAt}.
 */
public class TimeBasedOutcomes {

    private final OutboxDatabase db;
    private final OutboxSettings settings;

    private DeliveryMetrics metrics = DeliveryMetrics.none();

    public TimeBasedOutcomes(DataSource dataSource, Clock clock, OutboxSettings settings) {
        this.db = new OutboxDatabase(dataSource, clock);
        this.settings = settings;
    }

    /** Counts the notifications moved here (UNDELIVERED, EXPIRED, RETRY_WAIT) in these meters, after each commit. */
    public TimeBasedOutcomes metered(DeliveryMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /**
     * Time-based outcomes: UNCERTAIN LONs without a delivery webhook after {@code uncertainAfter} are resent or
     * given up (policy); SENT LONs without one after {@code undeliveredAfter} are UNDELIVERED; queued or waiting
     * notifications past their retry window are EXPIRED.
     *
     * @return the ids that became UNDELIVERED (for the fallback route)
     */
    public List<String> resolveByTime() {
        OffsetDateTime now = db.now();
        List<String> undelivered = new ArrayList<>();
        List<Object[]> moved = new ArrayList<>(); // {row {id, channel, operation, type}, status} for the meters
        db.inTransaction(c -> {
            undelivered.clear();
            moved.clear();
            for (String[] row : rows(c, "SELECT id, channel, line_operation, type FROM notification WHERE status = 'UNCERTAIN' AND updated_at < ?"
                    + " FOR UPDATE SKIP LOCKED", now.minus(settings.uncertainAfter()))) {
                String id = row[0];
                if (settings.uncertainPolicy() == OutboxSettings.UncertainPolicy.RESEND) {
                    if (transitionFrom(c, id, "UNCERTAIN", NotificationStatus.RETRY_WAIT,
                            "no delivery webhook within " + settings.uncertainAfter() + "; resending (policy RESEND)", now, now) == 1) {
                        moved.add(new Object[]{row, DeliveryMetrics.Moved.RETRY_WAIT});
                    }
                } else if (transitionFrom(c, id, "UNCERTAIN", NotificationStatus.UNDELIVERED,
                        "no delivery webhook within " + settings.uncertainAfter() + "; not resent (policy GIVE_UP)", now, null) == 1) {
                    undelivered.add(id);
                    moved.add(new Object[]{row, DeliveryMetrics.Moved.UNDELIVERED});
                }
            }
            for (String[] row : rows(c, "SELECT id, channel, line_operation, type FROM notification WHERE status = 'SENT' AND line_operation LIKE 'pnp-%'"
                    + " AND sent_at < ? FOR UPDATE SKIP LOCKED", now.minus(settings.undeliveredAfter()))) {
                if (transitionFrom(c, row[0], "SENT", NotificationStatus.UNDELIVERED,
                        "LINE reported no delivery within " + settings.undeliveredAfter(), now, null) == 1) {
                    undelivered.add(row[0]);
                    moved.add(new Object[]{row, DeliveryMetrics.Moved.UNDELIVERED});
                }
            }
            // one status at a time (each moves only from the status it was read in); the request's expiresAt, when it
            // was the earlier end, is named as the reason
            for (String status : List.of("QUEUED", "RETRY_WAIT", "SCHEDULED")) {
                for (String[] row : expired(c, status, now)) {
                    if (transitionFrom(c, row[0], status, NotificationStatus.EXPIRED, row[1] != null
                            ? "not sent before its expiresAt " + row[1]
                            : "not sent within the retry window of " + settings.retryWindow(), now, null) == 1) {
                        moved.add(new Object[]{new String[]{row[0], row[2], row[3], row[4]}, DeliveryMetrics.Moved.EXPIRED});
                    }
                }
            }
        });
        for (Object[] m : moved) {
            String[] row = (String[]) m[0];
            metrics.moved(row[1], row[2], row[3], (DeliveryMetrics.Moved) m[1], 1);
        }
        return undelivered;
    }

    /** The ids of notifications in this status past their expiry, each with the request's expiresAt when that was it. */
    private static List<String[]> expired(Connection c, String status, OffsetDateTime now) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, expires_at, requested_expires_at, channel, line_operation, type FROM notification"
                + " WHERE status = ? AND expires_at < ? FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, status);
            ps.setObject(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
                    OffsetDateTime requested = rs.getObject(3, OffsetDateTime.class);
                    // the request's expiresAt ended it (not the retry window, nor a replay's new window)
                    boolean byRequest = requested != null && at != null && requested.toInstant().equals(at.toInstant());
                    out.add(new String[]{rs.getString(1), byRequest ? requested.toInstant().toString() : null, rs.getString(4), rs.getString(5),
                            rs.getString(6)});
                }
            }
        }
        return out;
    }

    /** The rows the query selects, as {id, channel, operation, type}. */
    private static List<String[]> rows(Connection c, String sql, OffsetDateTime t) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return out;
    }
}
