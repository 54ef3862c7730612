package io.linehub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A notification on its way through intake, from the validated request to the outbox row. The raw phone
 * number lives only here, in memory, until it is normalised and hashed; it is never stored or logged.
 */
public final class PendingNotification {

    String type;
    String deliveryChannel;
    String lineChannel;
    String customerId;
    String phoneField;
    String rawPhone;
    String region;
    String language;
    String timeZone;
    JsonNode data;
    String recipientHash;
    String recipientMasked;
    String recipientCountry;
    ObjectNode lineRequest;
    String idempotencyKey;
    String requestDigest;

    public String getType() {
        return type;
    }

    public String getCustomerId() {
        return customerId;
    }

    public String getLineChannel() {
        return lineChannel;
    }

    /** Never prints the phone number. */
    @Override
    public String toString() {
        return "PendingNotification[type=" + type + ", customerId=" + customerId + ", recipient=" + recipientMasked + "]";
    }
}
