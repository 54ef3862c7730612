package io.linehub.line;

/**
 * One delivery-completion event of LINE's webhook (README §10.4), as the batch step takes it.
 *
 * @param webhookEventId the event's id (usable: a non-blank string of at most {@value LineWebhook#MAX_EVENT_ID_LENGTH} characters)
 * @param data           {@code delivery.data}: the delivery tag the message was sent with (or the hashed number); null when
 *                       the event has none that is a string
 */
public record LineDeliveryEvent(String webhookEventId, String data) {
}
