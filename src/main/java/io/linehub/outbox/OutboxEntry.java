package io.linehub.outbox;

import java.time.Instant;
import java.util.List;

/**
 * A claimed unit of sending: one notification, or a multicast batch of packed pushes (then {@code memberIds}
 * lists every notification in it and {@code id} is the batch's id). {@code type} (the notification type) and
 * {@code dueSince} (accepted, or the scheduled time it waited for; a batch's earliest) are for the metrics only.
 */
public record OutboxEntry(String id, String channel, String lineOperation, String lineRequestJson, String deliveryTag,
                          int attempt, Instant claimedAt, String retryKey, List<String> memberIds, String type, Instant dueSince) {

    public OutboxEntry(String id, String channel, String lineOperation, String lineRequestJson, String deliveryTag,
                       int attempt, Instant claimedAt, String retryKey, List<String> memberIds) {
        this(id, channel, lineOperation, lineRequestJson, deliveryTag, attempt, claimedAt, retryKey, memberIds, null, null);
    }

    /** How many notifications this entry carries (a batch's members). */
    public int size() {
        return isBatch() ? memberIds.size() : 1;
    }

    public boolean isBatch() {
        return memberIds != null && !memberIds.isEmpty();
    }
}
