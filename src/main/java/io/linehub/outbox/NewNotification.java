package io.linehub.outbox;

/** What intake hands to the outbox: everything needed to send, and nothing that identifies the customer in clear. */
public record NewNotification(
        String type,
        String channel,
        String lineOperation,
        String customerId,
        String recipientHash,
        String recipientMasked,
        String recipientCountry,
        String language,
        String dataJson,
        String lineRequestJson,
        String idempotencyKey,
        String requestDigest) {
}
