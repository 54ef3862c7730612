package io.linehub.api;

import io.linehub.headers.HubHeaders;
import io.linehub.intake.RequestRejectedException;
import io.linehub.json.Json;
import io.linehub.outbox.ChannelPauses;
import io.linehub.outbox.DeadLetters;
import io.linehub.outbox.NotificationReadModel;
import org.apache.camel.Exchange;

/** {@code GET /api/notifications/{id}}: status and every attempt. */
public class NotificationQueries {

    private final NotificationReadModel notifications;
    private final DeadLetters deadLetters;
    private final ChannelPauses pauses;

    public NotificationQueries(NotificationReadModel notifications, DeadLetters deadLetters, ChannelPauses pauses) {
        this.notifications = notifications;
        this.deadLetters = deadLetters;
        this.pauses = pauses;
    }

    /** {@code GET /api/dead-letters}: FAILED, EXPIRED and UNDELIVERED notifications, newest first. */
    public void deadLetters(Exchange exchange) {
        respond(exchange, Json.write(deadLetters.list(limit(exchange.getMessage().getHeader("limit")))));
    }

    /** {@code ?limit=}: 1 to 1,000 (default 100); anything else is refused naming {@code limit}, never quietly changed. */
    static int limit(Object value) {
        if (value == null) {
            return 100;
        }
        String s = value.toString().trim();
        if (!s.matches("[0-9]{1,4}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 1000) {
            throw new RequestRejectedException("limit", "must be a whole number from 1 to 1000");
        }
        return Integer.parseInt(s);
    }

    /** {@code POST /api/notifications/{id}/replay}: a dead letter goes out again. */
    public void replay(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || id.length() > 36 || notifications.view(id).isEmpty()) {
            throw new NotFoundException("no notification with this id");
        }
        if (!deadLetters.replay(id)) {
            throw new RequestRejectedException(RequestRejectedException.Kind.CONFLICT, "id", "only FAILED, EXPIRED and UNDELIVERED notifications can be replayed");
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        respond(exchange, Json.write(java.util.Map.of("id", id, "status", "QUEUED")));
    }

    /**
     * For a fallback route (e.g. SMS): the body becomes the JSON {@code notificationId, customerId, type} of the
     * notification in the HubNotificationId header (hence "{notificationId, customerId, type}") — no phone number, which the hub does not keep.
     */
    public void fallbackRequest(Exchange exchange) {
        String id = exchange.getMessage().getHeader(HubHeaders.NOTIFICATION_ID, String.class);
        var view = notifications.view(id).orElseThrow(() -> new NotFoundException("no notification with this id"));
        var recipient = (java.util.Map<?, ?>) view.get("recipient");
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("notificationId", id);
        body.put("customerId", recipient.get("customerId"));
        body.put("type", view.get("type"));
        exchange.getMessage().setBody(Json.write(body));
    }

    /** {@code GET /api/channels/paused}: channels that may not send now, and why. */
    public void pausedChannels(Exchange exchange) {
        respond(exchange, Json.write(pauses.paused()));
    }

    private static void respond(Exchange exchange, String json) {
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        exchange.getMessage().removeHeaders("*");
        if (code != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json);
    }

    public void get(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        var view = (id == null || id.length() > 36) ? java.util.Optional.<java.util.Map<String, Object>>empty() : notifications.view(id);
        if (view.isEmpty()) {
            throw new NotFoundException("no notification with this id");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(view.get()));
    }
}
