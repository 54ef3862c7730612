package io.linehub.api;

import io.linehub.json.Json;
import io.linehub.outbox.Outbox;
import org.apache.camel.Exchange;

/** {@code GET /api/notifications/{id}}: status and every attempt. */
public class NotificationQueries {

    private final Outbox outbox;

    public NotificationQueries(Outbox outbox) {
        this.outbox = outbox;
    }

    public void get(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        var view = (id == null || id.length() > 36) ? java.util.Optional.<java.util.Map<String, Object>>empty() : outbox.view(id);
        if (view.isEmpty()) {
            throw new NotFoundException("no notification with this id");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(view.get()));
    }
}
