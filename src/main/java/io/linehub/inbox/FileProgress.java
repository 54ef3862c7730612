package io.linehub.inbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The file_intake table: how far each inbox file (name + content hash) has got, so that a hub that stopped in
 * the middle of a file resumes after the last checkpoint instead of starting again or skipping rows.
 */
public class FileProgress {

    /** Where a run starts: {@code resumed} with the counts of the interrupted run, or fresh from row 0. */
    public record Start(boolean resumed, int run, long lastRow, long reportBytes, long accepted, long rejected) {
    }

    private final DataSource db;
    private final Clock clock;

    public FileProgress(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** A PROCESSING row resumes (its holder stopped: the read lock was released or orphaned); otherwise a new run from row 0. */
    public Start start(String fileName, String hash, String owner) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Start s = start(c, fileName, hash, owner);
                    c.commit();
                    return s;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt > 0) {
                        throw e;
                    } // a concurrent first insert: read it again
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not record the start of inbox file " + fileName, e);
            }
        }
    }

    private Start start(Connection c, String fileName, String hash, String owner) throws SQLException {
        OffsetDateTime now = now();
        try (PreparedStatement ps = c.prepareStatement("SELECT status, runs, last_row, report_bytes, accepted, rejected FROM file_intake"
                + " WHERE file_name = ? AND content_hash = ? FOR UPDATE")) {
            ps.setString(1, fileName);
            ps.setString(2, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    boolean resume = rs.getString(1).equals("PROCESSING");
                    int run = rs.getInt(2) + 1;
                    Start s = resume ? new Start(true, run, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6))
                            : new Start(false, run, 0, 0, 0, 0);
                    try (PreparedStatement u = c.prepareStatement("UPDATE file_intake SET status = 'PROCESSING', owner = ?, runs = ?, last_row = ?,"
                            + " report_bytes = ?, accepted = ?, rejected = ?, error = NULL, updated_at = ?"
                            + (resume ? "" : ", started_at = ?") + " WHERE file_name = ? AND content_hash = ?")) {
                        int i = 1;
                        u.setString(i++, owner);
                        u.setInt(i++, run);
                        u.setLong(i++, s.lastRow());
                        u.setLong(i++, s.reportBytes());
                        u.setLong(i++, s.accepted());
                        u.setLong(i++, s.rejected());
                        u.setObject(i++, now);
                        if (!resume) {
                            u.setObject(i++, now);
                        }
                        u.setString(i++, fileName);
                        u.setString(i, hash);
                        u.executeUpdate();
                    }
                    return s;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_intake (file_name, content_hash, status, owner, runs, started_at, updated_at)"
                + " VALUES (?, ?, 'PROCESSING', ?, 1, ?, ?)")) {
            ps.setString(1, fileName);
            ps.setString(2, hash);
            ps.setString(3, owner);
            ps.setObject(4, now);
            ps.setObject(5, now);
            ps.executeUpdate();
        }
        return new Start(false, 1, 0, 0, 0, 0);
    }

    /** Rows up to {@code lastRow} are in the outbox and in the report's first {@code reportBytes} bytes. */
    public void checkpoint(String fileName, String hash, long lastRow, long reportBytes, long accepted, long rejected) {
        update("UPDATE file_intake SET last_row = ?, report_bytes = ?, accepted = ?, rejected = ?, updated_at = ? WHERE file_name = ? AND content_hash = ?",
                lastRow, reportBytes, accepted, rejected, now(), fileName, hash);
    }

    /** What the hub learnt of the file when it opened it: its size, its last row number (the lines) and its report's name. */
    public void describe(String fileName, String hash, long sizeBytes, long totalRows, String reportName) {
        update("UPDATE file_intake SET size_bytes = ?, total_rows = ?, report_name = ? WHERE file_name = ? AND content_hash = ?",
                sizeBytes, totalRows, reportName, fileName, hash);
    }

    public void finish(String fileName, String hash, String status, String error) {
        update("UPDATE file_intake SET status = ?, error = ?, updated_at = ? WHERE file_name = ? AND content_hash = ?",
                status, error == null ? null : error.substring(0, Math.min(error.length(), 2000)), now(), fileName, hash);
    }

    private void update(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record inbox progress", e);
        }
    }
}
