package io.linehub.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.linehub.outbox.OutboxDatabase.instant;
import static io.linehub.outbox.OutboxDatabase.truncate;

/** Channels that may not send until a time (LINE's monthly limit reached): claims skip them; operators see why. */
public class ChannelPauses {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelPauses.class);

    private final OutboxDatabase db;

    public ChannelPauses(DataSource dataSource, Clock clock) {
        this.db = new OutboxDatabase(dataSource, clock);
    }

    /** Stops a channel sending until a time (LINE's monthly limit reached); operators see the reason. */
    public void pause(String channel, OffsetDateTime until, String reason) {
        OffsetDateTime now = db.now();
        String why = truncate(reason, 2000);
        try {
            db.inTransaction(c -> {
                if (updatePause(c, channel, until, why, now) == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_pause (channel, paused_until, reason, paused_at) VALUES (?,?,?,?)")) {
                        ps.setString(1, channel);
                        ps.setObject(2, until);
                        ps.setString(3, why);
                        ps.setObject(4, now);
                        ps.executeUpdate();
                    }
                }
            });
        } catch (OutboxException e) {
            // another writer (the other outcome writer, another hub) paused the channel at the same moment: its row
            // is in now, so this pause updates it
            if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                throw e;
            }
            db.inTransaction(c -> updatePause(c, channel, until, why, now));
        }
        LOG.error("ALERT channel {} paused until {}: {}", channel, until, reason);
    }

    private static int updatePause(Connection c, String channel, OffsetDateTime until, String reason, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE channel_pause SET paused_until = ?, reason = ?, paused_at = ? WHERE channel = ?")) {
            ps.setObject(1, until);
            ps.setString(2, reason);
            ps.setObject(3, now);
            ps.setString(4, channel);
            return ps.executeUpdate();
        }
    }

    /** Channels paused now, with until and reason. */
    public List<Map<String, Object>> paused() {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT channel, paused_until, reason FROM channel_pause WHERE paused_until > ? ORDER BY channel")) {
            ps.setObject(1, db.now());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("channel", rs.getString(1));
                    m.put("pausedUntil", instant(rs, "paused_until"));
                    m.put("reason", rs.getString(3));
                    out.add(m);
                }
            }
        } catch (SQLException e) {
            throw new OutboxException("could not read channel pauses", e);
        }
        return out;
    }
}
