package io.linehub.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.linehub.outbox.OutboxDatabase.instant;

/** A notification as {@code GET /api/notifications/{id}} shows it: its row, its attempts and its status history. */
public class NotificationReadModel {

    private final DataSource dataSource;

    public NotificationReadModel(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The notification, its attempts and its status history, as the API shows them. */
    public Optional<Map<String, Object>> view(String id) {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> v = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type, channel, line_operation, status, customer_id, recipient_masked,"
                    + " recipient_country, language, attempts, last_error, created_at, updated_at, sent_at, delivered_at, next_attempt_at,"
                    + " channel_decision, batch_id, recipient_user_id, template_version,"
                    + " send_at, scheduled_for, expires_at, via FROM notification WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    v.put("id", rs.getString("id"));
                    v.put("type", rs.getString("type"));
                    v.put("status", rs.getString("status"));
                    // the LINE channel (Official Account) it goes through, and the delivery kind the request asked for
                    v.put("channel", rs.getString("channel"));
                    v.put("via", rs.getString("via") != null ? rs.getString("via") : "auto");
                    v.put("lineOperation", rs.getString("line_operation"));
                    v.put("channelDecision", rs.getString("channel_decision"));
                    v.put("templateVersion", rs.getString("template_version"));
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
                    // scheduling (issue 15): the sendAt asked for, when it was (to be) sent first if held (sendAt or the
                    // end of quiet hours: the SCHEDULED history row says why), and when it is not sent after any more
                    if (rs.getObject("send_at") != null) {
                        v.put("sendAt", instant(rs, "send_at"));
                    }
                    if (rs.getObject("scheduled_for") != null) {
                        v.put("scheduledFor", instant(rs, "scheduled_for"));
                    }
                    v.put("expiresAt", instant(rs, "expires_at"));
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
}
