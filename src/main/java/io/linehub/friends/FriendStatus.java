package io.linehub.friends;

import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Who follows each channel, from LINE's follow and unfollow webhook events. Events can arrive out of order
 * and more than once, so an event only changes the status when it is newer than the last one recorded.
 */
public class FriendStatus {

    public enum Status { FOLLOWING, BLOCKED }

    private final DataSource dataSource;
    private final Clock clock;

    public FriendStatus(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Route step for a {@code follow} or {@code unfollow} event (headers channel, LineUserId, LineEventType, LineEventTimestamp). */
    public void record(Exchange exchange) {
        Message m = exchange.getMessage();
        String userId = m.getHeader(LineConstants.USER_ID, String.class);
        if (userId == null) {
            return;
        }
        Status status = "follow".equals(m.getHeader(LineConstants.EVENT_TYPE, String.class)) ? Status.FOLLOWING : Status.BLOCKED;
        record(m.getHeader("channel", String.class), userId, status, m.getHeader(LineConstants.EVENT_TIMESTAMP, 0L, Long.class));
    }

    /** @return whether the status changed */
    public boolean record(String channel, String userId, Status status, long eventTimestamp) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE line_friend SET status = ?, event_timestamp = ?, changed_at = ?"
                    + " WHERE channel = ? AND user_id = ? AND event_timestamp < ?")) {
                ps.setString(1, status.name());
                ps.setLong(2, eventTimestamp);
                ps.setObject(3, now);
                ps.setString(4, channel);
                ps.setString(5, userId);
                ps.setLong(6, eventTimestamp);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO line_friend (channel, user_id, status, event_timestamp, changed_at)"
                    + " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM line_friend WHERE channel = ? AND user_id = ?)")) {
                ps.setString(1, channel);
                ps.setString(2, userId);
                ps.setString(3, status.name());
                ps.setLong(4, eventTimestamp);
                ps.setObject(5, now);
                ps.setString(6, channel);
                ps.setString(7, userId);
                return ps.executeUpdate() == 1;
            } catch (SQLException raced) {
                return false; // another node inserted it first; its event is as good as ours
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record friend status", e);
        }
    }

    /** How many users follow the channel, as far as its webhooks told. */
    public long following(String channel) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM line_friend WHERE channel = ? AND status = 'FOLLOWING'")) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count friends", e);
        }
    }

    public Optional<Status> status(String channel, String userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM line_friend WHERE channel = ? AND user_id = ?")) {
            ps.setString(1, channel);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Status.valueOf(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read friend status", e);
        }
    }
}
