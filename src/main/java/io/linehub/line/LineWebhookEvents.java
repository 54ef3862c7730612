package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The usable events of one verified webhook request, sorted for the route: the delivery-completion events, handled
 * together (one transaction for all of them), and every other event (follow, unfollow, messages…), handled one by one.
 */
public record LineWebhookEvents(List<LineDeliveryEvent> deliveries, List<JsonNode> others) {

    public LineWebhookEvents {
        deliveries = List.copyOf(deliveries);
        others = List.copyOf(others);
    }
}
