package io.linehub.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The outbox's tables as its stores share them: the clock, transactions, and a notification's status changes
 * with their history rows (every change of status writes one).
 */
final class OutboxDatabase {

    private final DataSource dataSource;
    private final Clock clock;

    OutboxDatabase(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Whether the connection is to PostgreSQL (else embedded H2). */
    static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    void inTransaction(SqlWork work) {
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

    /** Moves a SENDING notification on, with history; 0 when it was no longer SENDING. */
    static int transition(Connection c, String id, NotificationStatus to, String reason, OffsetDateTime now, OffsetDateTime retryAt) throws SQLException {
        return transitionFrom(c, id, "SENDING", to, reason, now, retryAt);
    }

    /** Moves a notification from one status (any, when null) to another, with history; 0 when it was not in that status. */
    static int transitionFrom(Connection c, String id, String from, NotificationStatus to, String reason, OffsetDateTime now,
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

    static void history(Connection c, String id, NotificationStatus status, String reason, OffsetDateTime at) throws SQLException {
        historyBatch(c, List.of(id), status, reason, at);
    }

    static void historyBatch(Connection c, List<String> ids, NotificationStatus status, String reason, OffsetDateTime at) throws SQLException {
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

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** A timestamp column as the API shows it (ISO-8601 instant), or null. */
    static String instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
