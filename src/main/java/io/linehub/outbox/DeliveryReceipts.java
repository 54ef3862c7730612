package io.linehub.outbox;

import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.OffsetDateTime;

import static io.linehub.outbox.OutboxDatabase.history;

/** LINE's delivery-completion webhook events: the notification they name becomes DELIVERED. */
public class DeliveryReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReceipts.class);

    private final OutboxDatabase db;

    public DeliveryReceipts(DataSource dataSource, Clock clock) {
        this.db = new OutboxDatabase(dataSource, clock);
    }

    /** LINE's delivery-completion webhook event for a channel (the line-webhook route's step). */
    public void delivered(Exchange exchange) {
        Message m = exchange.getMessage();
        String channel = m.getHeader("channel", String.class);
        String data = m.getHeader(LineConstants.DELIVERY_DATA, String.class);
        if (!markDelivered(channel, data)) {
            LOG.info("delivery event on channel {} matched no notification awaiting delivery", channel);
        }
    }

    /**
     * LINE's delivery webhook: {@code delivery.data} is the delivery tag we sent (our notification id) or,
     * when none was sent, the hashed phone number.
     *
     * @return whether a notification was marked DELIVERED
     */
    public boolean markDelivered(String channel, String deliveryData) {
        OffsetDateTime now = db.now();
        boolean[] marked = {false};
        db.inTransaction(c -> {
            String id = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notification WHERE channel = ? AND delivery_tag = ?")) {
                ps.setString(1, channel);
                ps.setString(2, deliveryData);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString(1);
                    }
                }
            }
            if (id == null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notification WHERE channel = ? AND recipient_hash = ?"
                        + " AND status IN ('SENT','UNCERTAIN') ORDER BY sent_at LIMIT 1")) {
                    ps.setString(1, channel);
                    ps.setString(2, deliveryData);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            id = rs.getString(1);
                        }
                    }
                }
            }
            if (id != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = 'DELIVERED', delivered_at = ?, updated_at = ?,"
                        + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND status IN ('SENT','UNCERTAIN','SENDING','UNDELIVERED','RETRY_WAIT','QUEUED')")) {
                    ps.setObject(1, now);
                    ps.setObject(2, now);
                    ps.setString(3, id);
                    if (ps.executeUpdate() == 1) {
                        history(c, id, NotificationStatus.DELIVERED, "LINE delivery webhook", now);
                        marked[0] = true;
                    }
                }
            }
        });
        return marked[0];
    }
}
