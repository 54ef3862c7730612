package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.linehub.outbox.OutboxDatabase.history;
import static io.linehub.outbox.OutboxDatabase.truncate;

/**
 * Narrowcasts are accepted (202) and then run at LINE: the narrowcast-progress route reads each accepted one's
 * progress until it reaches a final phase, which completes the notification (DELIVERED or FAILED).
 */
public class NarrowcastProgress {

    private final OutboxDatabase db;

    public NarrowcastProgress(DataSource dataSource, Clock clock) {
        this.db = new OutboxDatabase(dataSource, clock);
    }

    /** Accepted narrowcasts whose progress is still to be read: id and LINE request ID. */
    public List<String[]> inProgress(int max) {
        List<String[]> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT id, channel, line_request_id FROM notification"
                + " WHERE line_operation = 'narrowcast' AND status = 'SENT' AND line_request_id IS NOT NULL ORDER BY sent_at LIMIT ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        } catch (SQLException e) {
            throw new OutboxException("could not read narrowcasts", e);
        }
        return out;
    }

    /** The narrowcast's progress reached a final phase. */
    public void recordOutcome(String id, boolean succeeded, String detail) {
        OffsetDateTime now = db.now();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = ?, updated_at = ?, last_error = ?,"
                    + " delivered_at = ? WHERE id = ? AND status = 'SENT'")) {
                ps.setString(1, succeeded ? "DELIVERED" : "FAILED");
                ps.setObject(2, now);
                ps.setString(3, succeeded ? null : truncate(detail, 2000));
                ps.setObject(4, succeeded ? now : null);
                ps.setString(5, id);
                if (ps.executeUpdate() == 1) {
                    history(c, id, succeeded ? NotificationStatus.DELIVERED : NotificationStatus.FAILED, detail, now);
                }
            }
        });
    }

    /** The progress request: the body is {id, channel, LINE request ID} from {@link #inProgress}. */
    public void request(Exchange exchange) throws InvalidPayloadException {
        String[] n = exchange.getMessage().getMandatoryBody(String[].class);
        Message m = exchange.getMessage();
        m.setHeader(HubHeaders.NOTIFICATION_ID, n[0]);
        m.setHeader(LineConstants.CHANNEL, n[1]);
        m.setHeader(LineConstants.NARROWCAST_REQUEST_ID, n[2]);
        m.setBody(null);
    }

    /** LINE's progress answer: a final phase completes the notification. */
    public void result(Exchange exchange) {
        Message m = exchange.getMessage();
        var progress = m.getBody(io.linehub.line.model.NarrowcastProgressResponse.class);
        if (progress != null && progress.finished()) {
            boolean ok = "succeeded".equals(progress.phase());
            recordOutcome(m.getHeader(HubHeaders.NOTIFICATION_ID, String.class), ok, ok
                    ? "narrowcast succeeded: " + progress.successCount() + " of " + progress.targetCount() + " sent"
                    : "narrowcast failed: errorCode " + progress.errorCode() + (progress.failedDescription() == null ? "" : " (" + progress.failedDescription() + ")"));
        }
    }
}
