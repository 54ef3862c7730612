package io.linehub.dashboard;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's reads of the outbox that the API has no query for: notifications by filter (newest first by their
 * time-ordered id), dead letters by filter, and the overview's counts. Counts over a time window use the
 * {@code (status, updated_at)} index; a search by customer uses {@code notification_customer} (V27).
 */
class DashboardQueries {

    static final List<String> WAITING = List.of("QUEUED", "SCHEDULED", "SENDING", "RETRY_WAIT", "UNCERTAIN");
    static final List<String> DEAD = List.of("FAILED", "EXPIRED", "UNDELIVERED");

    private final DataSource db;
    private final Clock clock;

    DashboardQueries(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One page of notifications matching the filter, newest first; one row more than asked tells there is a next page. */
    List<Map<String, Object>> search(NotificationFilter f, List<String> onlyStatuses, int offset, int max) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id, type, channel, line_operation, status, customer_id, recipient_masked, attempts,"
                + " last_error, created_at, updated_at FROM notification WHERE 1 = 1");
        where(sql, params, "id = ?", f.id());
        where(sql, params, "customer_id = ?", f.customerId());
        where(sql, params, "type = ?", f.type());
        where(sql, params, "status = ?", f.status());
        where(sql, params, "channel = ?", f.channel());
        where(sql, params, "created_at >= ?", f.from() == null ? null : OffsetDateTime.ofInstant(f.from(), ZoneOffset.UTC));
        where(sql, params, "created_at < ?", f.to() == null ? null : OffsetDateTime.ofInstant(f.to(), ZoneOffset.UTC));
        if (onlyStatuses != null) {
            sql.append(" AND status IN (").append(String.join(",", onlyStatuses.stream().map(s -> "'" + s + "'").toList())).append(')');
        }
        sql.append(" ORDER BY id DESC LIMIT ? OFFSET ?");
        params.add(max);
        params.add(offset);
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getString("id"));
                    m.put("type", rs.getString("type"));
                    m.put("channel", rs.getString("channel"));
                    m.put("lineOperation", rs.getString("line_operation"));
                    m.put("status", rs.getString("status"));
                    m.put("customerId", rs.getString("customer_id"));
                    m.put("recipient", rs.getString("recipient_masked"));
                    m.put("attempts", rs.getInt("attempts"));
                    m.put("lastError", rs.getString("last_error"));
                    m.put("createdAt", instant(rs, "created_at"));
                    m.put("updatedAt", instant(rs, "updated_at"));
                    out.add(m);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not search notifications", e);
        }
        return out;
    }

    private static void where(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
    }

    /** What a notification's rendered message is made of: type, data, language, country and channel (no phone number). */
    Map<String, String> renderable(String id) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT type, data, language, recipient_country, channel FROM notification WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Map.of();
                }
                Map<String, String> m = new LinkedHashMap<>();
                m.put("type", rs.getString(1));
                m.put("data", rs.getString(2));
                m.put("language", rs.getString(3));
                m.put("country", rs.getString(4));
                m.put("channel", rs.getString(5));
                return m;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the notification", e);
        }
    }

    /** Per channel: counts of the overview (sent in the last minute, delivered / failed in the last hour, waiting by status). */
    Map<String, Map<String, Long>> overview() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Map<String, Long>> out = new TreeMap<>();
        try (Connection c = db.getConnection()) {
            count(c, out, "sentLastMinute", "SELECT channel, COUNT(*) FROM notification WHERE status IN ('SENT','DELIVERED','UNCERTAIN','UNDELIVERED')"
                    + " AND updated_at >= ? AND sent_at >= ? GROUP BY channel", now.minus(Duration.ofMinutes(1)), now.minus(Duration.ofMinutes(1)));
            count(c, out, "deliveredLastHour", "SELECT channel, COUNT(*) FROM notification WHERE status = 'DELIVERED' AND updated_at >= ?"
                    + " GROUP BY channel", now.minus(Duration.ofHours(1)));
            count(c, out, "sentLastHour", "SELECT channel, COUNT(*) FROM notification WHERE status IN ('SENT','UNCERTAIN')"
                    + " AND updated_at >= ? GROUP BY channel", now.minus(Duration.ofHours(1)));
            count(c, out, "failedLastHour", "SELECT channel, COUNT(*) FROM notification WHERE status IN ('FAILED','EXPIRED','UNDELIVERED')"
                    + " AND updated_at >= ? GROUP BY channel", now.minus(Duration.ofHours(1)));
            for (String status : WAITING) {
                count(c, out, status, "SELECT channel, COUNT(*) FROM notification WHERE status = '" + status + "' GROUP BY channel");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count notifications", e);
        }
        return out;
    }

    private static void count(Connection c, Map<String, Map<String, Long>> out, String what, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(what, rs.getLong(2));
                }
            }
        }
    }

    private static String instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
