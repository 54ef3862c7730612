package io.linehub.outbox;

import java.time.Instant;
import java.util.List;

/**
 * A claimed unit of sending: one notification, or a multicast batch of packed pushes (then {@code memberIds}
 * lists every notification in it and {@code id} is the batch's id).
 */
public record OutboxEntry(String id, String channel, String lineOperation, String lineRequestJson, String deliveryTag,
                          int attempt, Instant claimedAt, String retryKey, List<String> memberIds) {

    public boolean isBatch() {
        return memberIds != null && !memberIds.isEmpty();
    }
}
