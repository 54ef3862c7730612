package io.linehub.outbox;

import java.time.Instant;

/** A claimed notification, ready to send. */
public record OutboxEntry(String id, String channel, String lineOperation, String lineRequestJson,
                          String deliveryTag, int attempt, Instant claimedAt) {
}
