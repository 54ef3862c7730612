package io.linehub.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Admin actions (replay, channel pause/resume, key created/revoked): one row in {@code admin_audit} and one log
 * line each, with the key's id and name (never its text), the time, the action and its target.
 */
public class AdminAudit {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);

    private final DataSource db;
    private final Clock clock;

    public AdminAudit(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(ApiKey by, String action, String target) {
        Instant at = clock.instant();
        String safeTarget = target == null ? "" : target.length() > 200 ? target.substring(0, 200) : target;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO admin_audit (at, key_id, key_name, action, target) VALUES (?,?,?,?,?)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(2, by.id());
            ps.setString(3, by.name());
            ps.setString(4, action);
            ps.setString(5, safeTarget);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the admin audit record", e);
        }
        LOG.info("AUDIT {} {} by API key '{}' ({}) at {}", action, safeTarget, by.name(), by.id(), at);
    }
}
