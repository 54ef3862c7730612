package io.linehub.outbox;

/** A due notification's row as a claim reads it ({@link Claims}), before it becomes (part of) an {@link OutboxEntry}. */
record ClaimedRow(String id, String channel, String op, String request, String tag, int attempts, String retryKey,
                  String digest, String userId, String batchId, String type, java.time.Instant dueSince) {
}
