package io.linehub.outbox;

import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** The delivery route's steps around the {@code line:} call: what to send, and recording LINE's answer. */
public class DeliverySteps {

    /** Headers the delivery route carries between steps. */
    public static final String NOTIFICATION_ID = "HubNotificationId";
    public static final String LINE_OPERATION = "HubLineOperation";
    public static final String ATTEMPT = "HubAttempt";
    public static final String STARTED_AT = "HubAttemptStartedAt";

    private static final Logger LOG = LoggerFactory.getLogger(DeliverySteps.class);

    private final Outbox outbox;

    public DeliverySteps(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Turns a claimed outbox entry into the LINE request: body, channel, delivery tag. */
    public void prepare(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message m = exchange.getMessage();
        OutboxEntry e = m.getMandatoryBody(OutboxEntry.class);
        m.setHeader(NOTIFICATION_ID, e.id());
        m.setHeader(LINE_OPERATION, e.lineOperation());
        m.setHeader(ATTEMPT, e.attempt());
        m.setHeader(STARTED_AT, Instant.now());
        m.setHeader(LineConstants.CHANNEL, e.channel());
        if (e.deliveryTag() != null) {
            m.setHeader(LineConstants.DELIVERY_TAG, e.deliveryTag());
        }
        m.setBody(e.lineRequestJson());
    }

    public void sent(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(NOTIFICATION_ID, String.class);
        outbox.recordSent(id, m.getHeader(ATTEMPT, Integer.class), m.getHeader(STARTED_AT, Instant.class),
                m.getHeader(LineConstants.HTTP_STATUS, Integer.class), m.getHeader(LineConstants.REQUEST_ID, String.class));
        LOG.info("notification {} sent to LINE ({} {})", id, m.getHeader(LineConstants.HTTP_STATUS), m.getHeader(LineConstants.REQUEST_ID));
    }

    public void failed(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(NOTIFICATION_ID, String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        NotificationStatus next = outbox.recordFailure(id, m.getHeader(LINE_OPERATION, String.class), m.getHeader(ATTEMPT, Integer.class),
                m.getHeader(STARTED_AT, Instant.class), failure);
        LOG.warn("notification {} not sent, now {}: {}", id, next, failure.getMessage());
    }

    /** LINE's delivery-completion webhook event for a channel. */
    public void delivered(Exchange exchange) {
        Message m = exchange.getMessage();
        String channel = m.getHeader("channel", String.class);
        String data = m.getHeader("LineDeliveryData", String.class);
        if (!outbox.markDelivered(channel, data)) {
            LOG.info("delivery event on channel {} matched no notification awaiting delivery", channel);
        }
    }
}
