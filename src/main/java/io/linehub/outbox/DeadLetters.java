package io.linehub.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.linehub.outbox.OutboxDatabase.history;
import static io.linehub.outbox.OutboxDatabase.instant;

/** Notifications that will not be sent by themselves (FAILED, EXPIRED, UNDELIVERED), for operators to see and replay. */
public class DeadLetters {

    private final OutboxDatabase db;
    private final Duration retryWindow;

    public DeadLetters(DataSource dataSource, Clock clock, OutboxSettings settings) {
        this.db = new OutboxDatabase(dataSource, clock);
        this.retryWindow = settings.retryWindow();
    }

    /** Dead letters: FAILED, EXPIRED and UNDELIVERED notifications, newest first. */
    public List<Map<String, Object>> list(int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT id, type, channel, line_operation, status,"
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
        OffsetDateTime now = db.now();
        boolean[] done = {false};
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'QUEUED', next_attempt_at = ?, expires_at = ?,"
                    + " attempts = 0, batch_id = NULL, updated_at = ? WHERE id = ? AND status IN ('FAILED','EXPIRED','UNDELIVERED')")) {
                ps.setObject(1, now);
                ps.setObject(2, now.plus(retryWindow));
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
}
